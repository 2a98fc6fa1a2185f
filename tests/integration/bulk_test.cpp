// Bulk mode end to end: discovery by target directory, one bucket per bug across two harnesses, the
// smallest artifact as representative, and an incremental rerun that launches nothing.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <nlohmann/json.hpp>

#include "ground_truth.hpp"
#include "triage/debugger/native_run.hpp"

namespace triage::testing {
namespace {

namespace fs = std::filesystem;

const std::string k_bin_dir = TRIAGE_TEST_BIN_DIR;
const std::string k_artifacts = TRIAGE_TEST_ARTIFACTS_DIR;

class Bulk : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("triage-bulk-" + std::to_string(::getpid()));
    fs::remove_all(m_dir);
    // Two artifacts of each of two bugs found by two harnesses, plus one unmapped directory.
    for (const char* bug : {"RTC-03", "BAT-03"}) {
      std::map<std::string, int> per_target;
      for (const auto& row : load_ground_truth(k_artifacts + "/README.md")) {
        if (row.bug == bug && per_target[row.target]++ < 2) {
          fs::create_directories(m_dir / "in" / row.target);
          fs::copy_file(k_artifacts + "/" + row.artifact, m_dir / "in" / row.artifact);
          ++m_copied[bug];
        }
      }
    }
    fs::create_directories(m_dir / "in" / "fuzz_nosuchtarget");
    std::ofstream(m_dir / "in" / "fuzz_nosuchtarget" / "crash-0") << "x";
  }
  void TearDown() override { fs::remove_all(m_dir); }

  std::pair<int, std::string> bulk(std::vector<std::string> extra) {
    std::vector<std::string> argv{k_bin_dir + "/triage", "bulk", "--bin-dir", k_bin_dir, "-o", (m_dir / "out").string(),
                                  "-j", "2", "-f", "json"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back((m_dir / "in").string());
    auto run = debugger::run_native(argv, {"PATH=/usr/bin:/bin"}, (m_dir / "log").string(), 300);
    EXPECT_TRUE(run.has_value());
    return {run->exit_status.value_or(-1), run->output};
  }

  fs::path m_dir;
  std::map<std::string, int> m_copied;
};

nlohmann::json json_of(const std::string& output) {
  const auto start = output.find("{\n");
  return nlohmann::json::parse(start == std::string::npos ? output : output.substr(start), nullptr, false);
}

TEST_F(Bulk, OneBucketPerBugAcrossHarnessesAndIncrementalRerun) {
  ASSERT_GE(m_copied["RTC-03"], 3);
  ASSERT_GE(m_copied["BAT-03"], 3);
  auto [rc, out] = bulk({});
  EXPECT_EQ(rc, 3) << out;  // new buckets appeared
  const auto j = json_of(out);
  ASSERT_FALSE(j.is_discarded()) << out;
  ASSERT_EQ(j["buckets"].size(), 2u) << out;
  for (const auto& b : j["buckets"]) {
    EXPECT_EQ(b["targets"].size(), 2u) << b.dump();
    EXPECT_EQ(b["count"], b["artifacts"].size());
    const std::string fn = b["blamed_function"];
    EXPECT_TRUE(fn == "devices::rtc::CmosRtc::from_bcd" || fn == "devices::battery::Battery::time_remaining_minutes") << fn;
    // The representative is the smallest artifact of the bucket.
    uint64_t smallest = UINT64_MAX;
    for (const auto& a : b["artifacts"]) {
      smallest = std::min<uint64_t>(smallest, fs::file_size(a.get<std::string>()));
    }
    EXPECT_EQ(b["representative_size"], smallest);
  }
  ASSERT_EQ(j["unmapped"].size(), 1u);
  EXPECT_NE(j["unmapped"][0]["reason"].get<std::string>().find("fuzz_nosuchtarget"), std::string::npos);
  EXPECT_TRUE(fs::exists(m_dir / "out" / "campaign.db"));
  EXPECT_TRUE(fs::exists(m_dir / "out" / "buckets.md"));

  // Same command again: nothing to triage, same buckets, no new bucket.
  auto [rc2, out2] = bulk({});
  EXPECT_EQ(rc2, 0) << out2;
  EXPECT_NE(out2.find("(0 to triage, "), std::string::npos) << out2;
  const auto j2 = json_of(out2);
  ASSERT_FALSE(j2.is_discarded());
  EXPECT_EQ(j2["buckets"].size(), 2u);
}

TEST_F(Bulk, ReportReadsTheStoreWithoutRunning) {
  (void)bulk({});
  auto run = debugger::run_native({k_bin_dir + "/triage", "report", (m_dir / "out").string(), "-f", "markdown"},
                                  {"PATH=/usr/bin:/bin"}, (m_dir / "log2").string(), 60);
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->exit_status, 0);
  EXPECT_NE(run->output.find("## Crash buckets"), std::string::npos) << run->output;
  EXPECT_NE(run->output.find("devices::rtc::CmosRtc::from\\_bcd"), std::string::npos) << run->output;
}

}  // namespace
}  // namespace triage::testing
