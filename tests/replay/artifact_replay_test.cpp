// Every shipped artifact, replayed natively with the replay binary (no libFuzzer) and with the
// libFuzzer binary, still triggers its documented crash kind and blames its documented function.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "ground_truth.hpp"
#include "triage/debugger/native_run.hpp"

namespace triage::testing {
namespace {

const std::string k_bin_dir = TRIAGE_TEST_BIN_DIR;
const std::string k_artifacts = TRIAGE_TEST_ARTIFACTS_DIR;

struct Case {
  GroundTruthRow row;
  bool libfuzzer;
};

/// What ctest lists beside the test's name (gtest prints a byte dump of a struct otherwise).
void PrintTo(const Case& c, std::ostream* os) {
  *os << c.row.bug << " " << c.row.artifact << (c.libfuzzer ? " (libFuzzer)" : " (replay)");
}

std::vector<Case> cases() {
  std::vector<Case> out;
  for (const auto& row : load_ground_truth(k_artifacts)) {
    out.push_back({row, true});
    out.push_back({row, false});
  }
  return out;
}

nlohmann::json replay(const Case& c) {
  const std::string binary = k_bin_dir + "/" + (c.libfuzzer ? c.row.target : replay_binary_for(c.row.target));
  std::vector<std::string> argv{k_bin_dir + "/triage", "replay", "-f", "json", "-t", "5"};
  if (c.libfuzzer) {
    argv.push_back("--fuzzer-arg=-timeout=3");
  }
  argv.push_back(binary);
  argv.push_back(k_artifacts + "/" + c.row.artifact);
  const auto out = std::filesystem::temp_directory_path() /
                   ("replay-" + std::to_string(::getpid()) + "-" + std::to_string(std::rand()) + ".json");
  auto run = debugger::run_native(argv, {"PATH=/usr/bin:/bin"}, out.string(), 120);
  std::filesystem::remove(out);
  EXPECT_TRUE(run.has_value());
  if (!run) {
    return {};
  }
  const auto j = nlohmann::json::parse(run->output, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << run->output;
  return j;
}

class ArtifactReplay : public ::testing::TestWithParam<Case> {};

TEST_P(ArtifactReplay, TriggersItsDocumentedCrash) {
  const Case& c = GetParam();
  const auto j = replay(c);
  ASSERT_TRUE(j.is_object());
  ASSERT_EQ(j["result"], "crash") << c.row.artifact << " no longer crashes";
  EXPECT_EQ(j["kind"], c.row.kind) << c.row.artifact;
  // A timeout killed from outside has no stack to blame; every other kind names the function.
  if (!(c.row.kind == "timeout" && !c.libfuzzer)) {
    ASSERT_TRUE(j["blamed_frame"].is_object()) << c.row.artifact;
    EXPECT_EQ(j["blamed_frame"]["function"], c.row.function) << c.row.artifact;
  }
}

TEST(ArtifactReplayCoverage, ShipsEnoughArtifacts) {
  const auto rows = load_ground_truth(k_artifacts);
  EXPECT_GE(rows.size(), 150u);
  for (const auto& row : rows) {
    EXPECT_TRUE(std::filesystem::exists(k_artifacts + "/" + row.artifact)) << row.artifact;
  }
}

INSTANTIATE_TEST_SUITE_P(Artifacts, ArtifactReplay, ::testing::ValuesIn(cases()), [](const auto& info) {
  return test_name(info.param.row) + (info.param.libfuzzer ? "_libfuzzer" : "_replay");
});

}  // namespace
}  // namespace triage::testing
