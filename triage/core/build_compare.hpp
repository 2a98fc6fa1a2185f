#pragma once
// Comparing two builds on the same artifacts: each bucket is new (not in the baseline), still crashing,
// fixed (none of its artifacts crash on the new build), changed (they now land in other buckets) or
// flaky (its crashes on the new build came only on retries). Pure: records in, statuses out.
#include <string>
#include <string_view>
#include <vector>

#include "triage/core/bucket.hpp"

namespace triage::core {

/// "new", "still-crashing", "fixed", "changed", "flaky".
std::string_view to_string(BucketStatus status);
/// SARIF's result.baselineState for it: "new", "unchanged", "absent", "updated".
std::string_view sarif_baseline_state(BucketStatus status);

struct BucketComparison {
  std::string bucket;  ///< the bucket id (of the new build's buckets; of the baseline's when fixed or changed)
  BucketStatus status = BucketStatus::new_bucket;
  std::string kind;
  std::string blamed_function;
  std::string message;
  size_t baseline_count = 0;          ///< its artifacts that crashed into it on the baseline build
  size_t current_count = 0;           ///< and on the new build
  std::vector<std::string> moved_to;  ///< changed: the buckets its artifacts land in now
};

/// Every bucket of either build, new ones first, then changed, flaky, still crashing, fixed. Artifacts
/// are matched by path; one the baseline never ran can only make a bucket new.
std::vector<BucketComparison> compare_builds(const std::vector<TriageRecord>& baseline,
                                             const std::vector<TriageRecord>& current,
                                             const BucketOptions& options = {});

struct ComparisonCounts {
  size_t new_buckets = 0, still_crashing = 0, fixed = 0, changed = 0, flaky = 0;
};
ComparisonCounts count_statuses(const std::vector<BucketComparison>& comparisons);

/// Sets each bucket's status from a comparison of the same store (buckets it does not name keep none).
void mark_statuses(std::vector<Bucket>& buckets, const std::vector<BucketComparison>& comparisons);

}  // namespace triage::core
