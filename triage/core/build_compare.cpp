#include "triage/core/build_compare.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <utility>

namespace triage::core {
namespace {

constexpr std::array<std::pair<BucketStatus, std::pair<std::string_view, std::string_view>>, 5> k_statuses{{
    {BucketStatus::new_bucket, {"new", "new"}},
    {BucketStatus::still_crashing, {"still-crashing", "unchanged"}},
    {BucketStatus::fixed, {"fixed", "absent"}},
    {BucketStatus::changed, {"changed", "updated"}},
    {BucketStatus::flaky, {"flaky", "updated"}},
}};

/// Display order: what needs a look first.
int rank(BucketStatus s) {
  switch (s) {
    case BucketStatus::new_bucket:
      return 0;
    case BucketStatus::changed:
      return 1;
    case BucketStatus::flaky:
      return 2;
    case BucketStatus::still_crashing:
      return 3;
    case BucketStatus::fixed:
      return 4;
  }
  return 5;
}

BucketComparison describe(const Bucket& b, BucketStatus status) {
  BucketComparison c;
  c.bucket = b.id;
  c.status = status;
  c.kind = b.kind;
  c.blamed_function = b.blamed_function;
  c.message = b.message;
  return c;
}

/// artifact path -> the bucket it is in.
std::map<std::string, std::string> bucket_of_artifact(const std::vector<Bucket>& buckets) {
  std::map<std::string, std::string> out;
  for (const auto& b : buckets) {
    for (const auto& a : b.artifacts) {
      out[a] = b.id;
    }
  }
  return out;
}

}  // namespace

std::string_view to_string(BucketStatus status) {
  for (const auto& [s, names] : k_statuses) {
    if (s == status) {
      return names.first;
    }
  }
  return "new";
}

std::string_view sarif_baseline_state(BucketStatus status) {
  for (const auto& [s, names] : k_statuses) {
    if (s == status) {
      return names.second;
    }
  }
  return "new";
}

std::vector<BucketComparison> compare_builds(const std::vector<TriageRecord>& baseline,
                                             const std::vector<TriageRecord>& current, const BucketOptions& options) {
  const auto before = make_buckets(baseline, options);
  const auto after = make_buckets(current, options);
  const auto before_of = bucket_of_artifact(before);
  const auto after_of = bucket_of_artifact(after);
  std::map<std::string, const Bucket*> before_by_id;
  for (const auto& b : before) {
    before_by_id[b.id] = &b;
  }
  std::set<std::string> after_ids;
  std::vector<BucketComparison> out;
  for (const auto& b : after) {
    after_ids.insert(b.id);
    const auto old = before_by_id.find(b.id);
    // Flaky on the new build: every one of its crashes needed a retry.
    const bool flaky = !b.flaky.empty() && b.flaky.size() == b.artifacts.size();
    BucketStatus status = old == before_by_id.end() ? BucketStatus::new_bucket
                                                    : (flaky ? BucketStatus::flaky : BucketStatus::still_crashing);
    BucketComparison c = describe(b, status);
    c.current_count = b.count;
    c.baseline_count = old == before_by_id.end() ? 0 : old->second->count;
    out.push_back(std::move(c));
  }
  for (const auto& b : before) {
    if (after_ids.contains(b.id)) {
      continue;
    }
    std::set<std::string> moved;
    for (const auto& a : b.artifacts) {
      if (const auto it = after_of.find(a); it != after_of.end()) {
        moved.insert(it->second);
      }
    }
    BucketComparison c = describe(b, moved.empty() ? BucketStatus::fixed : BucketStatus::changed);
    c.baseline_count = b.count;
    c.moved_to.assign(moved.begin(), moved.end());
    out.push_back(std::move(c));
  }
  std::vector<BucketComparison> ordered;  // by rank, keeping the bucket order within one
  for (int r = 0; r <= 4; ++r) {
    for (auto& c : out) {
      if (rank(c.status) == r) {
        ordered.push_back(std::move(c));
      }
    }
  }
  return ordered;
}

ComparisonCounts count_statuses(const std::vector<BucketComparison>& comparisons) {
  ComparisonCounts n;
  for (const auto& c : comparisons) {
    switch (c.status) {
      case BucketStatus::new_bucket:
        ++n.new_buckets;
        break;
      case BucketStatus::still_crashing:
        ++n.still_crashing;
        break;
      case BucketStatus::fixed:
        ++n.fixed;
        break;
      case BucketStatus::changed:
        ++n.changed;
        break;
      case BucketStatus::flaky:
        ++n.flaky;
        break;
    }
  }
  return n;
}

void mark_statuses(std::vector<Bucket>& buckets, const std::vector<BucketComparison>& comparisons) {
  std::map<std::string, BucketStatus> by_id;
  for (const auto& c : comparisons) {
    by_id[c.bucket] = c.status;
  }
  for (auto& b : buckets) {
    if (const auto it = by_id.find(b.id); it != by_id.end()) {
      b.status = it->second;
    }
  }
}

}  // namespace triage::core
