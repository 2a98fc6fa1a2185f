// Which files of a campaign are artifacts, and where cargo-fuzz keeps the binaries.
#include <gtest/gtest.h>

#include <set>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "triage/campaign/discovery.hpp"

namespace triage::campaign {
namespace {

namespace fs = std::filesystem;

TEST(ArtifactNames, LibFuzzerNamesWithAndWithoutAnArtifactPrefix) {
  const std::string sha1 = "0123456789abcdef0123456789abcdef01234567";
  for (const std::string& name : {"crash-" + sha1, "leak-" + sha1, "timeout-" + sha1, "oom-" + sha1,
                                 "slow-unit-" + sha1, "minimized-from-" + sha1, "ide-crash-" + sha1,
                                 "fuzz_ide_crash-" + sha1, std::string("crash-status-bug")}) {
    EXPECT_TRUE(is_libfuzzer_artifact_name(name)) << name;
    EXPECT_TRUE(is_artifact_candidate(name)) << name;
  }
  // Corpus entries (a bare hash), notes, dictionaries, options, logs, hidden files, look-alikes.
  for (const std::string& name : {sha1, std::string("README"), std::string("fuzz_ide.dict"),
                                 std::string("fuzz_ide.options"), std::string("fuzz-0.log"), "." + sha1,
                                 "precrash-" + sha1, std::string("my-crash-notes"), std::string("crash-")}) {
    EXPECT_FALSE(is_artifact_candidate(name)) << name;
  }
}

TEST(ArtifactNames, IncludeAndExcludeGlobsOverrideTheNames) {
  const NameFilter filter{{"repro-*"}, {"crash-*"}};
  EXPECT_TRUE(is_artifact_candidate("repro-42", filter));
  EXPECT_FALSE(is_artifact_candidate("crash-0123456789abcdef0123456789abcdef01234567", filter));
  EXPECT_TRUE(is_artifact_candidate("oom-0123456789abcdef0123456789abcdef01234567", filter));
}

class CargoFuzzLayout : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("triage-cargo-" + std::to_string(::getpid()));
    fs::remove_all(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }
  fs::path executable(const fs::path& p) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << "#!/bin/sh\n";
    fs::permissions(p, fs::perms::owner_all);
    return p;
  }
  fs::path artifact(const fs::path& p) {
    fs::create_directories(p.parent_path());
    std::ofstream(p) << "x";
    return p;
  }
  fs::path m_dir;
};

TEST_F(CargoFuzzLayout, BinaryInTheFuzzCratesTargetDirectory) {
  const auto bin = executable(m_dir / "crate/fuzz/target/x86_64-unknown-linux-gnu/release/fuzz_ide");
  std::ofstream(m_dir / "crate/fuzz/target/CACHEDIR.TAG") << "Signature: 8a477f597d28d172789f06886806bc55\n";
  const auto art = artifact(m_dir / "crate/fuzz/artifacts/fuzz_ide/crash-0123456789abcdef");
  EXPECT_EQ(find_cargo_fuzz_binary(art, "fuzz_ide", "release"), bin.string());
  EXPECT_EQ(find_cargo_fuzz_binary(art, "fuzz_ide", "debug"), "");
  artifact(m_dir / "crate/fuzz/corpus/fuzz_ide/0123456789abcdef0123");
  artifact(m_dir / "crate/fuzz/artifacts/fuzz_ide/README");
  const auto d = discover({(m_dir / "crate/fuzz").string()}, {});
  ASSERT_EQ(d.tasks.size(), 1u);
  EXPECT_EQ(d.tasks[0].binary, bin.string());
  EXPECT_EQ(d.tasks[0].target, "fuzz_ide");
  EXPECT_EQ(d.skipped, 2u);
  EXPECT_EQ(d.found.size(), 1u);
  EXPECT_TRUE(d.unmapped.empty());
}

TEST_F(CargoFuzzLayout, BinaryInTheWorkspaceTargetDirectoryAndDebugProfile) {
  const auto bin = executable(m_dir / "ws/target/x86_64-unknown-linux-gnu/debug/fuzz_rtc");
  const auto art = artifact(m_dir / "ws/devices/rtc/fuzz/artifacts/fuzz_rtc/oom-0123456789abcdef");
  EXPECT_EQ(find_cargo_fuzz_binary(art, "fuzz_rtc", "debug"), bin.string());
  EXPECT_EQ(find_cargo_fuzz_binary(art, "fuzz_rtc", "release"), "");
  // Not a cargo-fuzz layout: no artifacts/<target> directory.
  const auto stray = artifact(m_dir / "ws/elsewhere/fuzz_rtc/crash-0123456789abcdef");
  EXPECT_EQ(find_cargo_fuzz_binary(stray, "fuzz_rtc", "debug"), "");
}

TEST(ArtifactNames, TimeoutsByLibFuzzersName) {
  EXPECT_TRUE(is_timeout_artifact_name("timeout-0123456789abcdef0123456789abcdef01234567"));
  EXPECT_FALSE(is_timeout_artifact_name("crash-0123456789abcdef0123456789abcdef01234567"));
  EXPECT_FALSE(is_timeout_artifact_name("slow-unit-0123"));
}

TEST(Shard, OnlyKOfNWithOneToN) {
  const auto ok = parse_shard("3/8");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ(ok->k, 3u);
  EXPECT_EQ(ok->n, 8u);
  EXPECT_TRUE(parse_shard("1/1").has_value());
  EXPECT_TRUE(parse_shard("100000/100000").has_value());
  for (const char* bad : {"3/2", "0/2", "1/0", "0/0", "-1/2", "1/-2", "1/2x", " 1/2", "1/ 2", "+1/2", "1/2/3",
                          "12", "/2", "1/", "a/b", "1/100001", "1/99999999999", "4294967297/4294967298"}) {
    const auto r = parse_shard(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code, core::ErrorCode::usage) << bad;
    EXPECT_NE(r.error().message.find(bad), std::string::npos) << r.error().message;
  }
  // The slices of 1..N cover every task once.
  std::vector<ArtifactTask> tasks;
  for (int i = 0; i < 50; ++i) {
    tasks.push_back({"fuzz_ide/crash-" + std::to_string(i), "fuzz_ide", "/bin/fuzz_ide"});
  }
  std::set<std::string> seen;
  size_t total = 0;
  for (unsigned k = 1; k <= 3; ++k) {
    for (const auto& t : shard(tasks, k, 3)) {
      seen.insert(t.path);
      ++total;
    }
  }
  EXPECT_EQ(total, 50u);
  EXPECT_EQ(seen.size(), 50u);
}

}  // namespace
}  // namespace triage::campaign
