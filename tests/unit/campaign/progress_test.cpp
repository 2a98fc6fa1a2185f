// The bulk progress line: buckets so far and new ones, errors, an ETA that counts pending timeouts.
#include <gtest/gtest.h>

#include "triage/campaign/progress.hpp"

namespace triage::campaign {
namespace {

core::TriageRecord result(const std::string& path, core::ResultKind kind, const std::string& signature,
                          const std::string& crash_kind = "abort") {
  core::TriageRecord r;
  r.artifact = path;
  r.result = kind;
  r.signature = signature;
  r.kind = kind == core::ResultKind::crash ? crash_kind : "";
  return r;
}

TEST(Progress, CountsBucketsNewOnesAndErrors) {
  ProgressTally t({10, 0, {"v1-old"}, {}, 2, 10});
  t.add(result("a/crash-1", core::ResultKind::crash, "v1-old"));
  t.add(result("a/crash-2", core::ResultKind::crash, "v1-new"));
  t.add(result("a/crash-3", core::ResultKind::crash, "v1-new"));
  t.add(result("a/crash-4", core::ResultKind::error, ""));
  t.add(result("a/crash-5", core::ResultKind::no_repro, ""));
  EXPECT_EQ(t.done(), 5u);
  EXPECT_EQ(t.buckets(), 2u);
  EXPECT_EQ(t.new_buckets(), 1u);
  EXPECT_EQ(t.errors(), 1u);
  // 5 done in 10 s: 0.5/s, 5 to go: 10 s.
  EXPECT_DOUBLE_EQ(t.eta_seconds(10), 10);
  EXPECT_EQ(t.line(10), "[5/10] 2 buckets (1 new), 1 error, 0.5 artifacts/s, ETA 0:10");
}

TEST(Progress, PendingTimeoutsRunOutTheClockOnTheirWorkers) {
  // 20 to triage, 4 of them timeout-*; 4 workers, 25 s limit.
  ProgressTally t({20, 4, {}, {}, 4, 25});
  EXPECT_LT(t.eta_seconds(0), 0);  // no rate yet
  EXPECT_EQ(t.line(0), "[0/20] 0 buckets (0 new), 0 errors, 0.0 artifacts/s, ETA ? (incl. 4 timeouts)");
  for (int i = 0; i < 8; ++i) {
    t.add(result("a/crash-" + std::to_string(i), core::ResultKind::crash, "v1-a"));
  }
  // 8 others in 4 s: 2/s; 8 others left: 4 s; 4 timeouts x 25 s over 4 workers: 25 s.
  EXPECT_DOUBLE_EQ(t.eta_seconds(4), 29);
  t.add(result("a/timeout-1", core::ResultKind::crash, "v1-t", "timeout"));
  EXPECT_EQ(t.timeouts_pending(), 3u);
  // The finished timeout held one of 4 workers 25 s: 6.25 s of the 10.25 s are taken out, and the 8
  // others ran in 4 s (2/s): 8 others left in 4 s, 3 timeouts in 18.75 s.
  EXPECT_DOUBLE_EQ(t.eta_seconds(10.25), 4 + 3 * 25 / 4.0);
  EXPECT_EQ(t.line(10.25), "[9/20] 2 buckets (2 new), 0 errors, 0.9 artifacts/s, ETA 0:23 (incl. 3 timeouts)");
  // Only timeouts left.
  for (int i = 0; i < 8; ++i) {
    t.add(result("a/crash-x" + std::to_string(i), core::ResultKind::crash, "v1-a"));
  }
  EXPECT_DOUBLE_EQ(t.eta_seconds(20), 3 * 25 / 4.0);
}

TEST(Progress, KeyStateBucketsAreCountedAsTheReportKeysThem) {
  ProgressTally t({3, 0, {}, {"status"}, 1, 10});
  auto a = result("a/crash-1", core::ResultKind::crash, "v1-a");
  a.state_values = {{"ide.regs.status", "status", "0x58"}};
  auto b = a;
  b.state_values = {{"ide.regs.status", "status", "0x50"}};
  t.add(a);
  t.add(b);
  EXPECT_EQ(t.buckets(), 2u);
  EXPECT_EQ(core::bucket_key(a, {{"status"}}), "v1-a@status=0x58");
  EXPECT_EQ(core::bucket_key(a, {}), "v1-a");
  EXPECT_EQ(core::bucket_key(result("x", core::ResultKind::no_repro, ""), {}), "");
}

}  // namespace
}  // namespace triage::campaign
