#pragma once
// A build comparison (core/build_compare.hpp) as a terminal table and as JSON.
#include <string>
#include <vector>

#include "triage/core/build_compare.hpp"

namespace triage::emit {

/// One line per bucket (status, bucket, kind, blamed function, artifacts before -> after), then the counts.
std::string comparison_table(const std::vector<core::BucketComparison>& comparisons);
/// {"tool", "counts": {new, still_crashing, fixed, changed, flaky}, "buckets": [{bucket, status, ...}]}
std::string comparison_json(const std::vector<core::BucketComparison>& comparisons);
/// "2 new, 1 still crashing, 1 fixed, 0 changed, 0 flaky"
std::string comparison_counts_text(const core::ComparisonCounts& counts);

}  // namespace triage::emit
