// Bad input gets one clear line on stderr and a distinct exit code, never a crash or a hang.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "ground_truth.hpp"
#include "triage/debugger/native_run.hpp"

namespace triage::testing {
namespace {

namespace fs = std::filesystem;

const std::string k_bin_dir = TRIAGE_TEST_BIN_DIR;

struct Outcome {
  int exit_status = -1;
  std::string output;
};

class BadInput : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("triage-bad-input-" + std::to_string(::getpid()));
    fs::create_directories(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  Outcome triage(std::vector<std::string> args) {
    std::vector<std::string> argv{k_bin_dir + "/triage"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto run = debugger::run_native(argv, {"PATH=/usr/bin:/bin"}, (m_dir / "out").string(), 120);
    EXPECT_TRUE(run.has_value());
    EXPECT_FALSE(run->signal.has_value()) << "triage died of a signal";
    return {run->exit_status.value_or(-1), run->output};
  }
  std::string file(const std::string& name, const std::string& content) {
    const auto p = m_dir / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  std::string fuzz_binary() const { return k_bin_dir + "/fuzz_uart"; }

  fs::path m_dir;
};

/// Exactly one line, starting "triage: error:".
void expect_one_error_line(const Outcome& o, const std::string& needle) {
  EXPECT_TRUE(o.output.starts_with("triage: error: ")) << o.output;
  EXPECT_EQ(std::count(o.output.begin(), o.output.end(), '\n'), 1) << o.output;
  EXPECT_NE(o.output.find(needle), std::string::npos) << o.output;
}

TEST_F(BadInput, MissingBinary) {
  const auto o = triage({(m_dir / "nope").string(), file("a", "x")});
  EXPECT_EQ(o.exit_status, 10);
  expect_one_error_line(o, "binary not found");
}

TEST_F(BadInput, NonElfBinary) {
  const auto script = file("script.sh", "#!/bin/sh\necho hi\n");
  fs::permissions(script, fs::perms::owner_all);
  const auto o = triage({script, file("a", "x")});
  EXPECT_EQ(o.exit_status, 11);
  expect_one_error_line(o, "not an ELF executable");
}

TEST_F(BadInput, StrippedBinary) {
  const auto stripped = (m_dir / "stripped").string();
  ASSERT_EQ(std::system((std::string(TRIAGE_TEST_LLVM_ROOT) + "/bin/llvm-objcopy --strip-all " + fuzz_binary() + " " +
                         stripped)
                            .c_str()),
            0);
  const auto o = triage({stripped, file("a", "x")});
  EXPECT_EQ(o.exit_status, 12);
  expect_one_error_line(o, "stripped");
}

TEST_F(BadInput, MissingEmptyDirectoryAndHugeArtifacts) {
  auto o = triage({fuzz_binary(), (m_dir / "missing").string()});
  EXPECT_EQ(o.exit_status, 20);
  expect_one_error_line(o, "artifact not found");
  o = triage({fuzz_binary(), m_dir.string()});
  EXPECT_EQ(o.exit_status, 21);
  expect_one_error_line(o, "not a regular file");
  o = triage({fuzz_binary(), file("empty", "")});
  EXPECT_EQ(o.exit_status, 22);
  expect_one_error_line(o, "artifact is empty");
  o = triage({"--max-artifact-size", "16", fuzz_binary(), file("big", std::string(17, 'x'))});
  EXPECT_EQ(o.exit_status, 23);
  expect_one_error_line(o, "above the 16 byte limit");
}

TEST_F(BadInput, MissingLldbServer) {
  const auto o = triage({"--lldb-server", (m_dir / "no-lldb-server").string(), fuzz_binary(), file("a", "x")});
  EXPECT_EQ(o.exit_status, 30);
  expect_one_error_line(o, "lldb-server not found");
}

TEST_F(BadInput, MalformedSchema) {
  const auto o = triage({"--schema", file("bad.toml", "schema_version = 1\ndevice = \"x\"\n[[registers]]\nname = \"r\"\n"
                                                      "width = 8\nfields = [{ name = \"A\", bit = 9 }]\n"),
                         fuzz_binary(), file("a", "x")});
  EXPECT_EQ(o.exit_status, 31);
  expect_one_error_line(o, "bad.toml: register 'r' field 'A': bit 9 is outside the 8-bit register");
}

TEST_F(BadInput, ArtifactThatDoesNotCrashIsNoReproNotAnError) {
  // One action: a read of the UART's first port. Harmless.
  const auto o = triage({"-f", "json", fuzz_binary(), file("harmless", std::string("\x00\x00\x00", 3))});
  EXPECT_EQ(o.exit_status, 1);
  const auto j = nlohmann::json::parse(o.output, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << o.output;
  EXPECT_EQ(j["result"], "no-repro");
  EXPECT_EQ(j["exit_status"], 0);
  EXPECT_TRUE(j["kind"].is_null());
}

TEST_F(BadInput, BinaryWithoutDebugInfoStillGetsASymbolLevelReport) {
  const auto nodebug = (m_dir / "nodebug").string();
  ASSERT_EQ(std::system((std::string(TRIAGE_TEST_LLVM_ROOT) + "/bin/llvm-objcopy --strip-debug " +
                         k_bin_dir + "/fuzz_rtc " + nodebug)
                            .c_str()),
            0);
  // RTC-03: a non-BCD seconds value reaches from_bcd() in the update cycle (artifacts/ground_truth.toml).
  std::string artifact;
  for (const auto& row : load_ground_truth(TRIAGE_TEST_ARTIFACTS_DIR)) {
    if (row.bug == "RTC-03" && row.target == "fuzz_rtc") {
      artifact = std::string(TRIAGE_TEST_ARTIFACTS_DIR) + "/" + row.artifact;
      break;
    }
  }
  ASSERT_FALSE(artifact.empty()) << "no fuzz_rtc artifact of RTC-03 in the ground truth";
  const auto o = triage({"-f", "json", nodebug, artifact});
  const auto j = nlohmann::json::parse(o.output.substr(o.output.find('{')), nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << o.output;
  EXPECT_EQ(j["result"], "crash");
  EXPECT_EQ(j["kind"], "abort");
  EXPECT_EQ(j["blamed_frame"]["function"], "devices::rtc::CmosRtc::from_bcd");
  EXPECT_TRUE(j["blamed_frame"]["file"].get<std::string>().empty());  // symbols only, no line table
  EXPECT_NE(o.output.find("has no debug info"), std::string::npos);
}

}  // namespace
}  // namespace triage::testing
