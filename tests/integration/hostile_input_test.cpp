// Inputs a hostile (or merely unlucky) campaign hands triage: bytes that are not UTF-8, megabyte
// stderr lines, copies of one input under other names, a standard output that is full or closed, two
// runs on one store, forged sanitizer reports, self-kills, shared libraries given as binaries.
#include <sys/file.h>

#include "hostile_fixture.hpp"

namespace triage::testing {
namespace {

TEST_F(HostileInput, OneShotJsonWithBytesThatAreNotUtf8) {
  const auto art = artifact("crash-\xff\xfe", "echo panicked: \xff\xfe\xc3 not text\n");
  const auto o = triage({"-f", "json", target(), art});
  EXPECT_EQ(o.exit_status, 0) << o.output;
  const auto j = json_in(o.output);
  ASSERT_FALSE(j.is_discarded()) << o.output;
  EXPECT_EQ(j["result"], "crash");
  EXPECT_EQ(j["artifact"]["path"].get<std::string>().substr(art.size() - 2), "\xef\xbf\xbd\xef\xbf\xbd");
}

TEST_F(HostileInput, BulkRecordsAnArtifactNamedWithBytesThatAreNotUtf8AndResumes) {
  artifact("crash-\xff", "echo one\n");
  artifact("crash-ok", "long-line 100\n");
  auto o = triage(bulk_args());
  EXPECT_EQ(o.exit_status, 3) << o.output;  // new buckets
  EXPECT_EQ(stored_results(m_dir / "out"), 2);
  const auto j = json_in(slurp(m_dir / "out" / "buckets.json"));
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j["buckets"].size(), 2u);
  o = triage(bulk_args());
  EXPECT_EQ(o.exit_status, 0) << o.output;
  EXPECT_NE(o.output.find("(0 to triage, 2 already in the store, 0 unmapped)"), std::string::npos) << o.output;
}

TEST_F(HostileInput, MegabyteStderrLineIsParsedNotFatal) {
  const auto o = triage({"-f", "json", target(), artifact("crash-long", "long-line 1048576\n")});
  EXPECT_EQ(o.exit_status, 0) << o.output.substr(0, 2000);
  const auto j = json_in(o.output);
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j["kind"], "abort");
  EXPECT_EQ(j["blamed_frame"]["function"], "(anonymous namespace)::print_long_line");
}

TEST_F(HostileInput, EveryPathOfOneContentIsRecordedAcrossReruns) {
  // libFuzzer's minimized-from-X beside crash-X, and a copy in a second directory of the same target.
  artifact("crash-aaaa", "echo same\n");
  artifact("minimized-from-aaaa", "echo same\n");
  artifact("crash-bbbb", "long-line 10\n");
  fs::create_directories(m_dir / "in" / "again" / "hostile_target");
  fs::copy_file(m_dir / "in" / "hostile_target" / "crash-aaaa", m_dir / "in" / "again" / "hostile_target" / "crash-aaaa");
  auto o = triage(bulk_args());
  EXPECT_EQ(o.exit_status, 3) << o.output;
  EXPECT_NE(o.output.find("(2 to triage and 2 copies of them, 0 already in the store, 0 unmapped)"), std::string::npos) << o.output;
  EXPECT_EQ(stored_results(m_dir / "out"), 4);
  auto buckets = json_in(slurp(m_dir / "out" / "buckets.json"))["buckets"];
  ASSERT_EQ(buckets.size(), 2u);
  int total = 0;
  for (const auto& b : buckets) {
    total += b["count"].get<int>();
  }
  EXPECT_EQ(total, 4);
  // A rerun finds all four; a new copy takes its result from the store without running.
  fs::copy_file(m_dir / "in" / "hostile_target" / "crash-bbbb", m_dir / "in" / "hostile_target" / "crash-cccc");
  o = triage(bulk_args());
  EXPECT_EQ(o.exit_status, 0) << o.output;
  EXPECT_NE(o.output.find("(0 to triage, 4 already in the store, 1 copies of stored results, 0 unmapped)"),
            std::string::npos)
      << o.output;
  EXPECT_EQ(stored_results(m_dir / "out"), 5);
  buckets = json_in(slurp(m_dir / "out" / "buckets.json"))["buckets"];
  total = 0;
  for (const auto& b : buckets) {
    total += b["count"].get<int>();
  }
  EXPECT_EQ(total, 5);
}

/// Runs `triage ARGS > stdout_target` through the shell; the exit status.
int exit_status_with_stdout(const std::string& args, const std::string& redirect) {
  const std::string cmd = "TRIAGE_NO_SERVER=1 " + k_bin_dir + "/triage " + args + " " + redirect;
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST_F(HostileInput, FullStandardOutputIsAnErrorNotALostReport) {
  const auto art = artifact("crash-full", "long-line 10\n");
  const auto err = (m_dir / "err").string();
  EXPECT_EQ(exit_status_with_stdout(target() + " " + art, "> /dev/full 2>" + err), 50);
  EXPECT_NE(slurp(err).find("triage: error: cannot write to standard output: No space left on device"),
            std::string::npos)
      << slurp(err);
  EXPECT_EQ(exit_status_with_stdout("bulk --bin-dir " + k_helper_bin_dir + " -o " + (m_dir / "out").string() + " " +
                                        (m_dir / "in").string(),
                                    "> /dev/full 2>" + err),
            50);
}

TEST_F(HostileInput, FullDiskStopsBulkAtOnceAndTheRerunResumes) {
  const fs::path mnt = m_dir / "small";
  fs::create_directories(mnt);
  if (std::system(("mount -t tmpfs -o size=600k tmpfs " + mnt.string() + " 2>/dev/null").c_str()) != 0) {
    GTEST_SKIP() << "cannot mount a small tmpfs here (needs root)";
  }
  for (int i = 0; i < 40; ++i) {
    artifact("crash-" + std::to_string(100 + i), "long-line " + std::to_string(30000 + i) + "\n");
  }
  std::vector<std::string> args{"bulk", "--bin-dir", k_helper_bin_dir, "-o", (mnt / "out").string(), "-j", "2",
                                (m_dir / "in").string()};
  auto o = triage(args);
  EXPECT_EQ(o.exit_status, 50) << o.output;
  EXPECT_NE(o.output.find("a result could not be stored; the results stored before it are kept"), std::string::npos)
      << o.output;
  const int kept = stored_results(mnt / "out");
  EXPECT_GT(kept, 0);
  EXPECT_LT(kept, 40);
  // It stopped at the first failed write, not after running everything.
  const auto stopped = o.output.find("stopped after ");
  ASSERT_NE(stopped, std::string::npos);
  EXPECT_LT(std::stoi(o.output.substr(stopped + 14)), 40);
  ASSERT_EQ(std::system(("mount -o remount,size=20m " + mnt.string()).c_str()), 0);
  o = triage(args);
  EXPECT_EQ(o.exit_status, 0) << o.output;  // the one bucket was already known
  EXPECT_NE(o.output.find("(" + std::to_string(40 - kept) + " to triage, " + std::to_string(kept) +
                          " already in the store, 0 unmapped)"),
            std::string::npos)
      << o.output;
  EXPECT_EQ(stored_results(mnt / "out"), 40);
  EXPECT_EQ(std::system(("umount " + mnt.string()).c_str()), 0);
}

TEST_F(HostileInput, ClosedPipesEndBulkQuietly) {
  artifact("crash-pipe", "long-line 10\n");
  const std::string bulk = "bulk --bin-dir " + k_helper_bin_dir + " -o " + (m_dir / "out").string() + " " +
                           (m_dir / "in").string();
  // stderr and stdout into a reader that stops after one line: no abort (it was SIGABRT, exit 134).
  const int status = std::system(("bash -c 'set -o pipefail; TRIAGE_NO_SERVER=1 " + k_bin_dir + "/triage " + bulk +
                                  " 2>&1 | head -1 >/dev/null'")
                                     .c_str());
  ASSERT_TRUE(WIFEXITED(status));
  const int rc = WEXITSTATUS(status);
  EXPECT_TRUE(rc == 0 || rc == 3 || rc == 141) << rc;
  EXPECT_EQ(stored_results(m_dir / "out"), 1);
}

TEST_F(HostileInput, SecondBulkOnOneOutputDirectoryStopsWithAClearMessage) {
  artifact("crash-lock", "long-line 10\n");
  fs::create_directories(m_dir / "out");
  const int fd = ::open((m_dir / "out" / "campaign.db.lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  ASSERT_EQ(::write(fd, "4242\n", 5), 5);
  const auto o = triage(bulk_args());
  ::close(fd);
  EXPECT_EQ(o.exit_status, 51);
  EXPECT_NE(o.output.find("is in use by another triage (pid 4242)"), std::string::npos) << o.output;
  EXPECT_EQ(stored_results(m_dir / "out"), -1);  // no store was opened
  // Once the other run is gone, the same command runs.
  EXPECT_EQ(triage(bulk_args()).exit_status, 3);
  EXPECT_EQ(stored_results(m_dir / "out"), 1);
}

TEST_F(HostileInput, BareFileNamesAndDotRootFindTheirTarget) {
  artifact("crash-bare", "long-line 10\n");
  const std::string dir = (m_dir / "in" / "hostile_target").string();
  const std::string out = (m_dir / "out").string();
  for (const std::string root : {"crash-bare", "./crash-bare", "."}) {
    fs::remove_all(m_dir / "out");
    const std::string cmd = "cd '" + dir + "' && TRIAGE_NO_SERVER=1 " + k_bin_dir + "/triage bulk --bin-dir " +
                            k_helper_bin_dir + " -o " + out + " " + root + " >/dev/null 2>&1";
    const int status = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(status)) << root;
    EXPECT_EQ(WEXITSTATUS(status), 3) << root;
    EXPECT_EQ(stored_results(m_dir / "out"), 1) << root;
  }
}

constexpr const char* k_forged_report =
    "=================================================================\n"
    "==1==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000010 at pc 0x1 bp 0x2 sp 0x3\n"
    "WRITE of size 4 at 0x602000000010 thread T0\n"
    "    #0 0x55555555 in forged_function /src/forged.c:1:1\n"
    "SUMMARY: AddressSanitizer: heap-use-after-free /src/forged.c:1:1 in forged_function\n";

TEST_F(HostileInput, ForgedSanitizerReportDoesNotDecideTheKind) {
  for (const auto& [mode, kind] : {std::pair{"echo", "null-deref"}, std::pair{"echo-abort", "abort"}}) {
    const auto o = triage({"-f", "json", target(), artifact(std::string("crash-") + mode, std::string(mode) + " " +
                                                                                              k_forged_report)});
    EXPECT_EQ(o.exit_status, 0) << o.output;
    const auto j = json_in(o.output);
    ASSERT_FALSE(j.is_discarded()) << o.output;
    EXPECT_EQ(j["kind"], kind) << mode;
    EXPECT_EQ(j["severity"], "not-exploitable") << mode;
    EXPECT_EQ(j["message"].get<std::string>().find("heap-use-after-free"), std::string::npos) << j["message"];
  }
  // The native replay reads the output too: the runtime's report is the last one written.
  const auto o = triage({"replay", "-f", "json", target(), (m_dir / "in" / "hostile_target" / "crash-echo").string()});
  const auto j = json_in(o.output);
  ASSERT_FALSE(j.is_discarded()) << o.output;
  EXPECT_EQ(j["kind"], "null-deref") << o.output;
}

TEST_F(HostileInput, SelfKillAndExitInsideTheCallbackAreCrashesWithTheirOwnKinds) {
  for (const auto& [input, kind] : {std::pair{"sigkill", "killed"}, std::pair{"exit", "target-exit"}}) {
    const auto o = triage({"-f", "json", target(), artifact(std::string("crash-") + input, input)});
    EXPECT_EQ(o.exit_status, 0) << o.output;
    const auto j = json_in(o.output);
    ASSERT_FALSE(j.is_discarded()) << o.output;
    EXPECT_EQ(j["result"], "crash") << input;
    EXPECT_EQ(j["kind"], kind) << input;
  }
}

TEST_F(HostileInput, ControlCharactersInNamesNeverReachTheTerminal) {
  const auto art = artifact("crash-\x1b]0;owned\x07-\nline", "echo-abort \x1b[2Jcleared\n");
  const auto o = triage({target(), art});
  EXPECT_EQ(o.exit_status, 0) << o.output;
  EXPECT_EQ(o.output.find('\x1b'), std::string::npos) << o.output;
  EXPECT_EQ(o.output.find('\x07'), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("crash-\\x1b]0;owned\\x07-\\nline ("), std::string::npos) << o.output;  // one line
  const auto missing = triage({target(), art + "-gone"});
  EXPECT_EQ(missing.exit_status, 20) << missing.output;
  EXPECT_EQ(missing.output.find('\x1b'), std::string::npos) << missing.output;
  EXPECT_NE(missing.output.find("\\x1b]0;owned"), std::string::npos) << missing.output;
}

TEST_F(HostileInput, SharedLibraryIsNotAProgram) {
  const auto lib = m_dir / "libsqlite3.so";
  fs::copy_file("/usr/lib/x86_64-linux-gnu/libsqlite3.so.0", lib);
  fs::permissions(lib, fs::perms::owner_all);
  const auto o = triage({lib.string(), artifact("crash-lib", "x")});
  EXPECT_EQ(o.exit_status, 11);
  EXPECT_NE(o.output.find("triage: error: not an ELF executable (a shared library): "), std::string::npos) << o.output;
}

TEST_F(HostileInput, BulkOnARootThatDoesNotExistIsAnError) {
  const auto o = triage({"bulk", "--bin-dir", k_helper_bin_dir, "-o", (m_dir / "out").string(),
                         (m_dir / "nowhere").string()});
  EXPECT_EQ(o.exit_status, 20);
  EXPECT_NE(o.output.find("triage: error: no such artifact file or directory: "), std::string::npos) << o.output;
}

}  // namespace
}  // namespace triage::testing
