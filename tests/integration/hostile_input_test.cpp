// Inputs a hostile (or merely unlucky) campaign hands triage, on a real libFuzzer target built to
// misbehave (hostile_target.cpp): bytes that are not UTF-8, megabyte stderr lines, copies of one
// input under other names, a standard output that is full or closed, two runs on one store.
#include <gtest/gtest.h>

#include <sqlite3.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "triage/debugger/native_run.hpp"

namespace triage::testing {
namespace {

namespace fs = std::filesystem;

const std::string k_bin_dir = TRIAGE_TEST_BIN_DIR;
const std::string k_helper_bin_dir = TRIAGE_TEST_HELPER_BIN_DIR;

struct Outcome {
  int exit_status = -1;
  std::string output;
};

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Results recorded in a bulk output directory's store.
int stored_results(const fs::path& out_dir) {
  sqlite3* db = nullptr;
  int count = -1;
  if (sqlite3_open_v2((out_dir / "campaign.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM results", -1, &q, nullptr) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW) {
      count = sqlite3_column_int(q, 0);
    }
    sqlite3_finalize(q);
  }
  sqlite3_close(db);
  return count;
}

nlohmann::json json_in(const std::string& output) {
  const auto brace = output.find('{');
  return brace == std::string::npos ? nlohmann::json() : nlohmann::json::parse(output.substr(brace), nullptr, false);
}

/// Live (not zombie) processes whose command line mentions `needle`.
int processes_mentioning(const std::string& needle) {
  int count = 0;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const auto name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    const std::string cmdline = slurp(e.path() / "cmdline");
    const std::string stat = slurp(e.path() / "stat");
    const auto paren = stat.rfind(')');
    const bool zombie = paren != std::string::npos && paren + 2 < stat.size() && stat[paren + 2] == 'Z';
    if (!zombie && cmdline.find(needle) != std::string::npos) {
      ++count;
    }
  }
  return count;
}

class HostileInput : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("triage-hostile-" + std::to_string(::getpid()));
    fs::remove_all(m_dir);
    fs::create_directories(m_dir / "in" / "hostile_target");
  }
  void TearDown() override {
    (void)std::system(("umount -l " + (m_dir / "small").string() + " 2>/dev/null").c_str());
    fs::remove_all(m_dir);
  }

  /// Runs triage. run_native kills the process group it started when the run ends; `own_session` puts
  /// triage in a session of its own (setsid -w) so that what triage leaves behind stays to be seen.
  Outcome triage(std::vector<std::string> args, bool own_session = false) {
    std::vector<std::string> argv{k_bin_dir + "/triage"};
    if (own_session) {
      argv.insert(argv.begin(), {"/usr/bin/setsid", "-w"});
    }
    argv.insert(argv.end(), args.begin(), args.end());
    auto run = debugger::run_native(argv, {"PATH=/usr/bin:/bin", "TRIAGE_NO_SERVER=1"}, (m_dir / "output").string(), 180);
    EXPECT_TRUE(run.has_value());
    EXPECT_FALSE(run->signal.has_value()) << "triage died of signal " << run->signal.value_or(0) << ":\n" << run->output;
    return {run->exit_status.value_or(-1), run->output};
  }
  /// An artifact of the hostile target's directory.
  std::string artifact(const std::string& name, const std::string& content) {
    const auto p = m_dir / "in" / "hostile_target" / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  std::vector<std::string> bulk_args() const {
    return {"bulk", "--bin-dir", k_helper_bin_dir, "-o", (m_dir / "out").string(), "-j", "2", "-f", "json",
            (m_dir / "in").string()};
  }
  std::string target() const { return k_helper_bin_dir + "/hostile_target"; }

  fs::path m_dir;
};

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

// What the target prints is not what a sanitizer reported: an input holding an ASan report, echoed to
// stderr before the real crash, must not make a null write or an abort "use-after-free (exploitable)".
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

TEST_F(HostileInput, RepeatableOptionsTakeOneValueAndLeaveThePositionals) {
  const auto art = artifact("crash-abort", "echo-abort plain\n");
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"--env", "TRIAGE_FIXED_BUGS=RS-01", target(), art, "-f", "json"},
           {"--env=TRIAGE_FIXED_BUGS=RS-01", target(), art, "-f", "json"},
           {"--root", "data", "--ignore", TRIAGE_TEST_SOURCE_DIR "/triage/data/ignore_frames.toml", target(), art, "-f",
            "json"},
           {"--schema", TRIAGE_TEST_SOURCE_DIR "/devices/schemas/ide.toml", target(), art, "-f", "json"}}) {
    const auto o = triage(args);
    EXPECT_EQ(o.exit_status, 0) << args.front() << ": " << o.output;
    const auto j = json_in(o.output);
    ASSERT_FALSE(j.is_discarded()) << o.output;
    EXPECT_EQ(j["kind"], "abort") << args.front();
  }
}

TEST_F(HostileInput, HelpIsACommandAndShowsDefaultsAndPlainValueNames) {
  const auto top = triage({"help"});
  EXPECT_EQ(top.exit_status, 0);
  EXPECT_NE(top.output.find("Subcommands:"), std::string::npos) << top.output;
  EXPECT_NE(top.output.find("-t,--timeout UINT (1-86400) [default: 10]"), std::string::npos) << top.output;
  EXPECT_NE(top.output.find("-f,--format {text,json} [default: text]"), std::string::npos) << top.output;
  EXPECT_NE(top.output.find("--env NAME=VALUE (repeatable)"), std::string::npos) << top.output;
  EXPECT_NE(top.output.find("-o,--output FILE"), std::string::npos) << top.output;
  const auto bulk = triage({"help", "bulk"});
  EXPECT_EQ(bulk.exit_status, 0);
  EXPECT_NE(bulk.output.find("triage bulk [OPTIONS] roots..."), std::string::npos) << bulk.output;
  EXPECT_NE(bulk.output.find("-o,--out-dir,--out DIR [default: triage-out]"), std::string::npos) << bulk.output;
  for (const auto* o : {&top, &bulk}) {
    EXPECT_EQ(o->output.find("UINT:"), std::string::npos) << o->output;
    EXPECT_EQ(o->output.find("TEXT:"), std::string::npos) << o->output;
  }
}

TEST_F(HostileInput, JsonFormatErrorsAreJsonReports) {
  const auto o = triage({"-f", "json", (m_dir / "no-such-binary").string(), artifact("crash-x", "x")});
  EXPECT_EQ(o.exit_status, 10) << o.output;
  EXPECT_NE(o.output.find("triage: error: binary not found: "), std::string::npos) << o.output;
  const auto j = json_in(o.output);
  ASSERT_FALSE(j.is_discarded()) << o.output;
  EXPECT_EQ(j["result"], "error");
  EXPECT_EQ(j["tool"], "triage");
  EXPECT_NE(j["error"].get<std::string>().find("binary not found"), std::string::npos);
  const auto replay = triage({"replay", "-f", "json", target(), (m_dir / "gone").string()});
  EXPECT_EQ(replay.exit_status, 20) << replay.output;
  EXPECT_EQ(json_in(replay.output)["result"], "error") << replay.output;
}

TEST_F(HostileInput, CargoFuzzLayoutIsFoundAndOnlyArtifactsAreRun) {
  // <crate>/fuzz/{artifacts,corpus}/<target>/ and the binary where `cargo fuzz build` puts it.
  const auto crate = m_dir / "devices" / "ide";
  const auto bin = crate / "fuzz/target/x86_64-unknown-linux-gnu/release/hostile_target";
  fs::create_directories(bin.parent_path());
  fs::copy_file(target(), bin);
  std::ofstream(crate / "fuzz/target/CACHEDIR.TAG") << "Signature: 8a477f597d28d172789f06886806bc55\n";  // as cargo
  const auto arts = crate / "fuzz/artifacts/hostile_target";
  const auto corpus = crate / "fuzz/corpus/hostile_target";
  fs::create_directories(arts);
  fs::create_directories(corpus);
  std::ofstream(arts / "crash-3f786850e387550fdab836ed7e6dc881de23001b") << "echo-abort one";
  std::ofstream(arts / "fuzz-crash-89e6c98d92887913cadf06b2adb97f26cde4849b") << "echo-abort two";
  std::ofstream(arts / "notes.txt") << "echo-abort three";
  std::ofstream(corpus / "2b66fd261ee5c6cfc8de7fa466bab600bcfe4f69") << "echo-abort four";
  std::ofstream(crate / "fuzz/hostile_target.dict") << "\"abort\"";
  const auto o = triage({"bulk", "-o", (m_dir / "out").string(), "-j", "1", "-f", "json", (crate / "fuzz").string()});
  EXPECT_EQ(o.exit_status, 3) << o.output;  // new buckets
  EXPECT_NE(o.output.find("triage bulk: cargo-fuzz: " + arts.string() + " is run by " + bin.string()),
            std::string::npos) << o.output;
  EXPECT_NE(o.output.find("2 artifacts (2 to triage, 0 already in the store, 0 unmapped); 3 other files"),
            std::string::npos) << o.output;
  EXPECT_EQ(stored_results(m_dir / "out"), 2);
  // --include takes a file of another name; --exclude leaves one out.
  const auto more = triage({"bulk", "-o", (m_dir / "out2").string(), "-j", "1", "--include", "notes.*", "--exclude",
                            "fuzz-*", (crate / "fuzz/artifacts").string()});
  EXPECT_NE(more.output.find("2 artifacts (2 to triage, 0 already in the store, 0 unmapped); 1 other files"),
            std::string::npos) << more.output;
  // --dev on a cargo release build reruns on the debug profile's build of the same target.
  const auto debug = crate / "fuzz/target/x86_64-unknown-linux-gnu/debug/hostile_target";
  fs::create_directories(debug.parent_path());
  fs::copy_file(target(), debug);
  const auto dev = triage({"--dev", "-f", "json", bin.string(),
                           (arts / "crash-3f786850e387550fdab836ed7e6dc881de23001b").string()});
  EXPECT_EQ(dev.exit_status, 0) << dev.output;
  const auto j = json_in(dev.output);
  ASSERT_FALSE(j.is_discarded()) << dev.output;
  EXPECT_EQ(j["dev"]["binary"], debug.string());
  EXPECT_EQ(j["dev"]["kind"], "abort");
}

TEST_F(HostileInput, MinimizeNeverLeavesTheBucketForASmallerOneOfAnotherBug) {
  // 20 bytes after the word reach long_input_bug; under 12 they reach short_input_bug, which a
  // minimizer that only asks "does it still crash" slides into.
  const auto art = artifact("crash-two", "two-bugs " + std::string(20, 'x'));
  const auto oneshot = triage({"-f", "json", target(), art});
  const auto before = json_in(oneshot.output);
  ASSERT_EQ(before["blamed_frame"]["function"], "(anonymous namespace)::long_input_bug") << oneshot.output;
  const auto out = m_dir / "crash-two.min";
  const auto o = triage({"minimize", target(), art, "-o", out.string()});
  ASSERT_EQ(o.exit_status, 0) << o.output;
  EXPECT_EQ(slurp(out), "two-bugs 000000000000");  // the 12 bytes the bug needs, normalized
  EXPECT_NE(o.output.find("29 -> 21 bytes"), std::string::npos) << o.output;
  const auto after = json_in(triage({"-f", "json", target(), out.string()}).output);
  EXPECT_EQ(after["blamed_frame"]["function"], "(anonymous namespace)::long_input_bug");
  EXPECT_EQ(after["signature"]["id"], before["signature"]["id"]);
  // Every bucket of a store: the representative of each, into <out>/minimized/<bucket>.
  artifact("crash-short", "two-bugs " + std::string(5, 'y'));
  const auto bulk = triage({"bulk", "--bin-dir", k_helper_bin_dir, "-o", (m_dir / "out").string(), "-j", "1",
                            (m_dir / "in").string()});
  ASSERT_EQ(bulk.exit_status, 3) << bulk.output;
  const auto all = triage({"minimize", "--store", (m_dir / "out").string()});
  EXPECT_EQ(all.exit_status, 0) << all.output;
  EXPECT_EQ(slurp(m_dir / "out" / "minimized" / before["signature"]["id"].get<std::string>()), "two-bugs 000000000000")
      << all.output;
  size_t minimized = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(m_dir / "out" / "minimized")) {
    ++minimized;
  }
  EXPECT_EQ(minimized, 2u) << all.output;
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

namespace triage::testing {
namespace {

TEST_F(HostileInput, ChildrenOfAForkingTargetDoNotOutliveTheRun) {
  const auto art = artifact("crash-forks", "fork");
  const auto out = m_dir / "cores";
  const std::vector<std::vector<std::string>> runs{
      {target(), art}, {"replay", target(), art}, {"make-core", "-o", out.string(), target(), art}};
  for (const auto& args : runs) {
    const auto o = triage(args, true);
    EXPECT_EQ(o.exit_status, 0) << args[0] << ": " << o.output;
    EXPECT_EQ(processes_mentioning(art), 0) << args[0] << " left a child of the target running";
  }
}

}  // namespace
}  // namespace triage::testing

namespace triage::testing {
namespace {

/// Processes a test's triage runs leave: those whose environment holds `mark` (triage, its engine,
/// workers, lldb-servers, the zygote and the reaper inherit it) or whose command line names a file
/// under `dir` (targets and their children). Zombies are not counted.
std::vector<std::string> left_behind(const std::string& mark, const std::string& dir) {
  std::vector<std::string> found;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const auto name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos || std::stoi(name) == ::getpid()) {
      continue;
    }
    const std::string stat = slurp(e.path() / "stat");
    const auto paren = stat.rfind(')');
    if (paren == std::string::npos || (paren + 2 < stat.size() && stat[paren + 2] == 'Z')) {
      continue;
    }
    std::string cmdline = slurp(e.path() / "cmdline");
    const std::string environ_text = slurp(e.path() / "environ");
    if (environ_text.find(mark) != std::string::npos || cmdline.find(dir) != std::string::npos) {
      std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
      found.push_back(name + ": " + cmdline);
    }
  }
  return found;
}

/// Scratch directories (/tmp/triage-<kind>-<pid>-XXXXXX) whose owner is gone.
std::vector<std::string> abandoned_scratch_dirs() {
  std::vector<std::string> found;
  for (const auto& e : fs::directory_iterator("/tmp")) {
    const auto name = e.path().filename().string();
    for (std::string_view kind : {"triage-session-", "triage-lsb-", "triage-replay-"}) {
      if (!name.starts_with(kind)) {
        continue;
      }
      const int pid = std::atoi(name.c_str() + kind.size());
      if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) {
        found.push_back(name);
      }
    }
  }
  return found;
}

class LeftBehind : public HostileInput {
 protected:
  /// Starts triage with our mark in its environment; output to m_dir/<tag>.out.
  pid_t start(const std::vector<std::string>& args, const std::string& tag) {
    std::vector<std::string> all{k_bin_dir + "/triage"};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    std::vector<std::string> env_s{"PATH=/usr/bin:/bin", "HOME=" + m_dir.string(), "TRIAGE_TEST_MARK=" + mark(),
                                   "TRIAGE_SOCKET=" + (m_dir / "sock" / "serve.sock").string()};
    std::vector<char*> envp;
    for (auto& e : env_s) {
      envp.push_back(e.data());
    }
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const auto out = (m_dir / (tag + ".out")).string();
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);  // out of our process group, as a user's would be
    pid_t pid = -1;
    EXPECT_EQ(::posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), envp.data()), 0);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    return pid;
  }
  int finish(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  int kill_after(pid_t pid, int signo, std::chrono::milliseconds after) {
    std::this_thread::sleep_for(after);
    ::kill(pid, signo);
    return finish(pid);
  }
  std::string mark() const { return "triage-left-behind-" + std::to_string(::getpid()); }
};

TEST_F(LeftBehind, OneShotReplayCoresAttachBulkAndServeLeaveNothingWhenTheyEndOrAreKilled) {
  const auto forks = artifact("crash-forks", "fork");
  const auto spins = artifact("timeout-spins", "spin");
  fs::create_directories(m_dir / "sock");
  fs::permissions(m_dir / "sock", fs::perms::owner_all);
  // Ends by itself: one-shot, replay, make-core and core on a target whose child outlives it.
  EXPECT_EQ(finish(start({target(), forks}, "oneshot")), 0);
  EXPECT_EQ(finish(start({"replay", target(), forks}, "replay")), 0);
  EXPECT_EQ(finish(start({"make-core", "-o", (m_dir / "cores").string(), target(), forks}, "make-core")), 0);
  // Killed mid-run: a one-shot on a spinning target, a bulk campaign with two workers.
  EXPECT_EQ(kill_after(start({"-t", "60", target(), spins}, "oneshot-killed"), SIGKILL, std::chrono::seconds(2)),
            128 + SIGKILL);
  EXPECT_EQ(kill_after(start({"bulk", "--bin-dir", k_helper_bin_dir, "-o", (m_dir / "out").string(), "-j", "2", "-t",
                              "60", (m_dir / "in").string()},
                             "bulk-killed"),
                       SIGKILL, std::chrono::seconds(3)),
            128 + SIGKILL);
  // A server that answered one request, then is told to stop with SIGTERM.
  const pid_t server = start({"serve", "--socket", (m_dir / "sock" / "serve.sock").string()}, "serve");
  for (int i = 0; i < 100 && !fs::exists(m_dir / "sock" / "serve.sock"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(finish(start({target(), forks}, "served")), 0);
  EXPECT_EQ(kill_after(server, SIGTERM, std::chrono::milliseconds(200)), 128 + SIGTERM);
  // attach --kill to a process of ours, and a core read back.
  {
    const auto loops = artifact("timeout-loops", "loop");
    std::vector<std::string> args{target(), loops};
    std::vector<char*> argv;
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    pid_t looping = -1;
    char* no_env[] = {nullptr};
    ASSERT_EQ(::posix_spawn(&looping, argv[0], nullptr, nullptr, argv.data(), no_env), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(finish(start({"attach", "--pid", std::to_string(looping), "--kill"}, "attach")), 0);
    EXPECT_EQ(finish(looping), 128 + SIGKILL);
  }
  const auto core = m_dir / "cores" / "crash-forks.core";
  if (fs::exists(core)) {  // kernel.core_pattern may pipe cores elsewhere
    EXPECT_EQ(finish(start({"core", target(), core.string()}, "core")), 0);
  }
  // A later run sweeps what the SIGKILLed ones could not remove.
  EXPECT_EQ(finish(start({"replay", target(), forks}, "sweep-replay")), 0);
  EXPECT_EQ(finish(start({target(), forks}, "sweep")), 0);
  std::vector<std::string> procs;
  for (int i = 0; i < 50; ++i) {  // the reaper kills a killed triage's targets as soon as it sees it gone
    procs = left_behind(mark(), m_dir.string());
    if (procs.empty()) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(procs.empty()) << ::testing::PrintToString(procs);
  EXPECT_FALSE(fs::exists(m_dir / "sock" / "serve.sock"));
  EXPECT_TRUE(abandoned_scratch_dirs().empty()) << ::testing::PrintToString(abandoned_scratch_dirs());
}

TEST_F(LeftBehind, WatchTriagesWhatFuzzersAddIncludingNewDirectoriesAndEndsOnSigint) {
  std::ofstream(m_dir / "in" / "hostile_target" / "crash-0001") << "echo-abort first";
  const auto map = m_dir / "targets.toml";
  std::ofstream(map) << "[targets]\nhostile_target = \"" << target() << "\"\nlate_target = \"" << target() << "\"\n";
  const pid_t watcher = start({"bulk", "--watch", "--map", map.string(), "-o", (m_dir / "out").string(), "-j", "1",
                               "-f", "json", (m_dir / "in").string()},
                              "watch");
  const auto wait_for = [&](const std::string& text) {
    for (int i = 0; i < 600 && slurp(m_dir / "watch.out").find(text) == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return slurp(m_dir / "watch.out").find(text) != std::string::npos;
  };
  ASSERT_TRUE(wait_for("crash-0001)\n")) << slurp(m_dir / "watch.out");  // its new-bucket line
  // A fuzzer writes a second artifact, and a new target's directory appears with a third.
  std::ofstream(m_dir / "in" / "hostile_target" / "crash-0002") << "sigkill";
  ASSERT_TRUE(wait_for("crash-0002)\n")) << slurp(m_dir / "watch.out");
  fs::create_directories(m_dir / "in" / "late_target");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::ofstream(m_dir / "in" / "late_target" / "crash-0003") << "exit";
  ASSERT_TRUE(wait_for("crash-0003)\n")) << slurp(m_dir / "watch.out");
  // The reports are rewritten after each batch (the new-bucket line comes first): never half a file.
  nlohmann::json during;
  for (int i = 0; i < 100; ++i) {
    during = nlohmann::json::parse(slurp(m_dir / "out" / "buckets.json"), nullptr, false);
    ASSERT_FALSE(during.is_discarded());
    if (during["buckets"].size() == 3u) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(during["buckets"].size(), 3u);
  EXPECT_NE(slurp(m_dir / "out" / "buckets.html").find("<meta http-equiv=\"refresh\" content=\"10\">"),
            std::string::npos);
  EXPECT_EQ(kill_after(watcher, SIGINT, std::chrono::milliseconds(100)), 0);
  const std::string out = slurp(m_dir / "watch.out");
  EXPECT_NE(out.find("triage bulk: watch ended after 3 artifacts triaged"), std::string::npos) << out;
  EXPECT_EQ(stored_results(m_dir / "out"), 3);
  std::map<std::string, int> kinds;
  for (const auto& b : json_in(out.substr(out.find("watch ended")))["buckets"]) {
    ++kinds[b["kind"]];
  }
  EXPECT_EQ(kinds, (std::map<std::string, int>{{"abort", 1}, {"killed", 1}, {"target-exit", 1}})) << out;
  EXPECT_TRUE(left_behind(mark(), m_dir.string()).empty());
}

}  // namespace
}  // namespace triage::testing
