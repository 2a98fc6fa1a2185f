// Bucket statuses between two builds, from records alone.
#include <gtest/gtest.h>

#include <map>

#include "triage/core/build_compare.hpp"

namespace triage::core {
namespace {

TriageRecord crash(const std::string& artifact, const std::string& signature, bool flaky = false) {
  TriageRecord r;
  r.artifact = artifact;
  r.target = "fuzz_ide";
  r.sha1 = artifact;
  r.size = 10;
  r.result = ResultKind::crash;
  r.kind = "abort";
  r.signature = signature;
  r.flaky = flaky;
  r.runs = flaky ? 2 : 1;
  r.crashing_runs = 1;
  return r;
}

TriageRecord no_repro(const std::string& artifact) {
  TriageRecord r;
  r.artifact = artifact;
  r.result = ResultKind::no_repro;
  return r;
}

std::map<std::string, BucketComparison> by_bucket(const std::vector<BucketComparison>& v) {
  std::map<std::string, BucketComparison> out;
  for (const auto& c : v) {
    out[c.bucket] = c;
  }
  return out;
}

TEST(BuildCompare, EveryStatusFromOneBaselineAndOneNewBuild) {
  const std::vector<TriageRecord> baseline{crash("a1", "v1-aaaa"), crash("a2", "v1-aaaa"), crash("b1", "v1-bbbb"),
                                           crash("c1", "v1-cccc"), crash("d1", "v1-dddd")};
  const std::vector<TriageRecord> current{crash("a1", "v1-aaaa"), no_repro("a2"),          no_repro("b1"),
                                          crash("c1", "v1-eeee"), crash("d1", "v1-dddd", true),
                                          crash("n1", "v1-ffff")};
  const auto compared = compare_builds(baseline, current);
  const auto m = by_bucket(compared);
  ASSERT_EQ(m.size(), 6u);
  EXPECT_EQ(m.at("v1-aaaa").status, BucketStatus::still_crashing);
  EXPECT_EQ(m.at("v1-aaaa").baseline_count, 2u);
  EXPECT_EQ(m.at("v1-aaaa").current_count, 1u);
  EXPECT_EQ(m.at("v1-bbbb").status, BucketStatus::fixed);
  EXPECT_EQ(m.at("v1-cccc").status, BucketStatus::changed);
  EXPECT_EQ(m.at("v1-cccc").moved_to, std::vector<std::string>{"v1-eeee"});
  EXPECT_EQ(m.at("v1-dddd").status, BucketStatus::flaky);
  EXPECT_EQ(m.at("v1-eeee").status, BucketStatus::new_bucket);  // where c1 went: new to this build
  EXPECT_EQ(m.at("v1-ffff").status, BucketStatus::new_bucket);
  // New first, fixed last.
  EXPECT_EQ(compared.front().status, BucketStatus::new_bucket);
  EXPECT_EQ(compared.back().status, BucketStatus::fixed);
  const auto n = count_statuses(compared);
  EXPECT_EQ(n.new_buckets, 2u);
  EXPECT_EQ(n.still_crashing, 1u);
  EXPECT_EQ(n.fixed, 1u);
  EXPECT_EQ(n.changed, 1u);
  EXPECT_EQ(n.flaky, 1u);
  EXPECT_EQ(sarif_baseline_state(BucketStatus::fixed), "absent");
  EXPECT_EQ(to_string(BucketStatus::still_crashing), "still-crashing");
}

}  // namespace
}  // namespace triage::core
