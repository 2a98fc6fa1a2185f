// Beyond replay: attach to live processes, core files, the -O0 build, and generated lldb command files
// replayed by lldb-19 -b -s.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <thread>

#include <nlohmann/json.hpp>

#include "ground_truth.hpp"
#include "triage/debugger/native_run.hpp"

namespace triage::testing {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const std::string k_bin_dir = TRIAGE_TEST_BIN_DIR;
const std::string k_artifacts = TRIAGE_TEST_ARTIFACTS_DIR;

struct Outcome {
  int exit_status = -1;
  std::string output;  ///< stdout + stderr
};

/// A process of our own, killed and reaped at the end of the test whatever happens.
class Child {
 public:
  /// Starts argv with stdin from a pipe we keep open (so a read of stdin blocks).
  explicit Child(const std::vector<std::string>& argv, bool traceme = false) {
    int fds[2];
    EXPECT_EQ(::pipe(fds), 0);
    m_pid = ::fork();
    if (m_pid == 0) {
      ::dup2(fds[0], 0);
      const int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
      ::close(fds[1]);
      if (traceme) {
        ::ptrace(PTRACE_TRACEME, 0, nullptr, nullptr);
      }
      std::vector<char*> args;
      for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));
      }
      args.push_back(nullptr);
      ::setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
      ::execv(args[0], args.data());
      ::_exit(127);
    }
    ::close(fds[0]);
    m_stdin = fds[1];
  }
  ~Child() {
    if (m_pid > 0) {
      ::kill(m_pid, SIGKILL);
      int status = 0;
      ::waitpid(m_pid, &status, 0);
    }
    ::close(m_stdin);
  }
  pid_t pid() const { return m_pid; }
  /// The state letter of /proc/PID/stat: R running, S sleeping, t traced-stopped, Z zombie...
  char state() const {
    std::ifstream in("/proc/" + std::to_string(m_pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto paren = stat.rfind(')');
    return paren == std::string::npos || paren + 2 >= stat.size() ? '?' : stat[paren + 2];
  }
  /// True once the process exited (reaps it).
  bool exited() {
    int status = 0;
    for (int i = 0; i < 100; ++i) {
      if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
        m_pid = -1;
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

 private:
  pid_t m_pid = -1;
  int m_stdin = -1;
};

class Inspect : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("triage-inspect-" + std::to_string(::getpid()) + "-" +
                                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
    m_truth = load_ground_truth(k_artifacts);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  Outcome run(std::vector<std::string> argv, const std::vector<std::string>& env = {"PATH=/usr/bin:/bin"}) {
    auto r = debugger::run_native(argv, env, (m_dir / "out").string(), 120);
    EXPECT_TRUE(r.has_value());
    EXPECT_FALSE(r->signal.has_value()) << argv[0] << " died of a signal";
    return {r->exit_status.value_or(-1), r->output};
  }
  Outcome triage(std::vector<std::string> args) {
    args.insert(args.begin(), k_bin_dir + "/triage");
    return run(args);
  }
  json read_json(const fs::path& p) {
    std::ifstream in(p);
    auto j = json::parse(in, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << p;
    return j;
  }
  /// The first artifact of `bug` (found through `target` when given).
  const GroundTruthRow& row_for(const std::string& bug, const std::string& target = "") {
    for (const auto& r : m_truth) {
      if (r.bug == bug && (target.empty() || r.target == target)) {
        return r;
      }
    }
    ADD_FAILURE() << "no artifact for " << bug;
    static GroundTruthRow none;
    return none;
  }
  std::string artifact(const GroundTruthRow& r) { return k_artifacts + "/" + r.artifact; }

  fs::path m_dir;
  std::vector<GroundTruthRow> m_truth;
};

std::vector<std::string> register_values(const json& report) {
  std::vector<std::string> out;
  for (const auto& d : report["devices"]) {
    for (const auto& r : d["registers"]) {
      out.push_back(r["name"].get<std::string>() + " = " + r["text"].get<std::string>());
    }
  }
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& needle) {
  for (const auto& s : v) {
    if (s.find(needle) != std::string::npos) {
      return true;
    }
  }
  return false;
}

// ---- attach ---------------------------------------------------------------------------------------

TEST_F(Inspect, AttachToASpinningTargetReportsWhereItSpinsAndLeavesItRunning) {
  const auto& row = row_for("UART-01", "fuzz_chipset");  // loopback transmit spins forever
  Child spinner({k_bin_dir + "/" + replay_binary_for(row.target), artifact(row)});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto out = m_dir / "attach.json";
  const auto o = triage({"attach", "--pid", std::to_string(spinner.pid()), "-f", "json", "-o", out.string()});
  ASSERT_EQ(o.exit_status, 0) << o.output;
  const json j = read_json(out);
  EXPECT_EQ(j["result"], "live");
  EXPECT_EQ(j["kind"], "live");
  EXPECT_EQ(j["source"], "attach");
  EXPECT_EQ(j["pid"], spinner.pid());
  EXPECT_EQ(j["blamed_frame"]["function"], "devices::uart::Uart::transmit_loopback");
  EXPECT_EQ(j["threads"].size(), 1u);
  // The UART is in loopback with the receive FIFO full: MCR has LOOP, LSR has DR.
  const auto regs = register_values(j);
  EXPECT_TRUE(contains(regs, "LOOP")) << ::testing::PrintToString(regs);
  EXPECT_TRUE(contains(regs, "[DR")) << ::testing::PrintToString(regs);
  // Detached: still running, not stopped or traced.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(spinner.state() == 'R' || spinner.state() == 'S') << spinner.state();
  EXPECT_FALSE(spinner.exited());
}

TEST_F(Inspect, AttachToATargetBlockedInAReadAndKillIt) {
  // replay_ide reading its input from a pipe nobody writes: blocked in read(2).
  Child reader({k_bin_dir + "/replay_ide", "/dev/stdin"});
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  const auto out = m_dir / "attach.json";
  const auto o = triage({"attach", "--pid", std::to_string(reader.pid()), "--kill", "-f", "json", "-o", out.string()});
  ASSERT_EQ(o.exit_status, 0) << o.output;
  const json j = read_json(out);
  EXPECT_EQ(j["result"], "live");
  EXPECT_EQ(j["after_attach"], "killed");
  ASSERT_FALSE(j["threads"].empty());
  const auto& frames = j["threads"][0]["frames"];
  ASSERT_FALSE(frames.empty());
  // The innermost frame is the read system call wrapper, under libstdc++'s file reading, under the
  // replay driver's main (the harness glue the ignore lists skip, so no frame is blamed).
  EXPECT_NE(frames[0]["function"].get<std::string>().find("read"), std::string::npos) << frames[0];
  bool has_main = false;
  for (const auto& f : frames) {
    has_main = has_main || (f["function"] == "main" && f["file"].get<std::string>().ends_with("replay_main.cpp"));
  }
  EXPECT_TRUE(has_main) << frames;
  EXPECT_TRUE(j["blamed_frame"].is_null()) << j["blamed_frame"];
  EXPECT_TRUE(reader.exited()) << "--kill left the process alive";
}

TEST_F(Inspect, AttachToAMissingPidIsOneLineAndExit60) {
  const auto o = triage({"attach", "--pid", "999999999"});
  EXPECT_EQ(o.exit_status, 60);
  EXPECT_TRUE(o.output.starts_with("triage: error: no process with pid 999999999")) << o.output;
  EXPECT_EQ(std::count(o.output.begin(), o.output.end(), '\n'), 1) << o.output;
}

TEST_F(Inspect, AttachToAProcessAlreadyTracedIsDeniedAndLeavesItAlone) {
  Child traced({k_bin_dir + "/replay_ide", "/dev/stdin"}, /*traceme=*/true);
  // The child stops at exec (SIGTRAP to its tracer, us); let it run on.
  int status = 0;
  ASSERT_EQ(::waitpid(traced.pid(), &status, 0), traced.pid());
  ::ptrace(PTRACE_CONT, traced.pid(), nullptr, nullptr);
  const auto o = triage({"attach", "--pid", std::to_string(traced.pid())});
  EXPECT_EQ(o.exit_status, 61) << o.output;
  EXPECT_TRUE(o.output.starts_with("triage: error: cannot attach to pid")) << o.output;
  EXPECT_EQ(std::count(o.output.begin(), o.output.end(), '\n'), 1) << o.output;
  EXPECT_NE(traced.state(), 'Z');
}

// ---- core files -----------------------------------------------------------------------------------

/// Cores land in the crashing process's directory only when kernel.core_pattern is a file name; a
/// pipe (systemd-coredump, apport) takes them away, and `make-core` says so instead of producing one.
bool cores_are_files() {
  std::ifstream in("/proc/sys/kernel/core_pattern");
  std::string pattern;
  std::getline(in, pattern);
  return !pattern.starts_with("|");
}

TEST_F(Inspect, CoresOfThreeCrashKindsGiveTheSameKindAndBlamedFrameAsTheReplay) {
  if (!cores_are_files()) {
    GTEST_SKIP() << "kernel.core_pattern pipes cores to a handler on this machine";
  }
  // heap-buffer-overflow (ASan report, then abort), null-deref (SIGSEGV at the faulting load),
  // fpe (SIGFPE): one debugger reads all three cores.
  std::map<std::string, const GroundTruthRow*> by_artifact;
  std::vector<std::string> cores;
  for (const auto& [bug, target] : std::vector<std::pair<std::string, std::string>>{
           {"IDE-01", "fuzz_ide"}, {"IDE-04", "fuzz_ide"}, {"BAT-03", "fuzz_chipset"}}) {
    const auto& row = row_for(bug, target);
    const auto o = triage({"make-core", k_bin_dir + "/" + target, artifact(row), "-o", (m_dir / target).string()});
    ASSERT_EQ(o.exit_status, 0) << o.output;
    const auto core = m_dir / target / (fs::path(row.artifact).filename().string() + ".core");
    ASSERT_TRUE(fs::exists(core)) << o.output;
    ASSERT_TRUE(fs::exists(core.string() + ".log"));
    const auto out = m_dir / (bug + ".json");
    const auto r = triage({"core", k_bin_dir + "/" + target, core.string(), "-f", "json", "-o", out.string()});
    EXPECT_EQ(r.exit_status, 0) << r.output;  // a crash
    const json j = read_json(out);
    EXPECT_EQ(j["source"], "core") << bug;
    EXPECT_EQ(j["kind"], row.kind) << bug;
    EXPECT_EQ(j["blamed_frame"]["function"], row.function) << bug;
    EXPECT_FALSE(j["devices"].empty()) << bug;
    cores.push_back(core.string());
  }
  // Many cores, one debugger: a JSON array, in order.
  const auto& ide = row_for("IDE-01", "fuzz_ide");
  std::vector<std::string> args{"core", k_bin_dir + "/fuzz_ide"};
  for (const auto& c : cores) {
    if (c.find("/fuzz_ide/") != std::string::npos) {
      args.push_back(c);
    }
  }
  ASSERT_EQ(args.size(), 4u);
  args.insert(args.end(), {"-f", "json", "-o", (m_dir / "all.json").string()});
  const auto many = triage(args);
  EXPECT_EQ(many.exit_status, 0) << many.output;
  EXPECT_NE(many.output.find("triage core: 2 cores, first"), std::string::npos) << many.output;
  const json all = read_json(m_dir / "all.json");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0]["kind"], ide.kind);
  EXPECT_EQ(all[1]["kind"], "null-deref");
}

TEST_F(Inspect, BadCoresAreOneLineEach) {
  if (!cores_are_files()) {
    GTEST_SKIP() << "kernel.core_pattern pipes cores to a handler on this machine";
  }
  const auto& row = row_for("IDE-04", "fuzz_ide");
  const auto made = triage({"make-core", k_bin_dir + "/fuzz_ide", artifact(row), "-o", m_dir.string()});
  ASSERT_EQ(made.exit_status, 0) << made.output;
  const auto core = m_dir / (fs::path(row.artifact).filename().string() + ".core");
  // Dumped by fuzz_ide, read against fuzz_rtc.
  auto o = triage({"core", k_bin_dir + "/fuzz_rtc", core.string()});
  EXPECT_EQ(o.exit_status, 63) << o.output;
  EXPECT_NE(o.output.find("was dumped by"), std::string::npos) << o.output;
  EXPECT_EQ(std::count(o.output.begin(), o.output.end(), '\n'), 1) << o.output;
  // Truncated to a tenth.
  const auto cut = m_dir / "cut.core";
  fs::copy_file(core, cut);
  fs::resize_file(cut, fs::file_size(core) / 10);
  o = triage({"core", k_bin_dir + "/fuzz_ide", cut.string()});
  EXPECT_EQ(o.exit_status, 62) << o.output;
  EXPECT_NE(o.output.find("truncated core"), std::string::npos) << o.output;
  EXPECT_EQ(std::count(o.output.begin(), o.output.end(), '\n'), 1) << o.output;
  // A program, not a core; a missing file.
  o = triage({"core", k_bin_dir + "/fuzz_ide", k_bin_dir + "/fuzz_ide"});
  EXPECT_EQ(o.exit_status, 62) << o.output;
  EXPECT_NE(o.output.find("not a core file"), std::string::npos) << o.output;
  o = triage({"core", k_bin_dir + "/fuzz_ide", (m_dir / "nope.core").string()});
  EXPECT_EQ(o.exit_status, 62) << o.output;
  EXPECT_EQ(std::count(o.output.begin(), o.output.end(), '\n'), 1) << o.output;
}

// ---- debug builds ---------------------------------------------------------------------------------

TEST_F(Inspect, DevRerunsOnTheO0BuildAndReportsBoth) {
  const auto& row = row_for("IDE-01", "fuzz_ide");
  const auto out = m_dir / "dev.json";
  const auto o = triage({k_bin_dir + "/fuzz_ide", artifact(row), "--dev", "-f", "json", "-o", out.string()});
  ASSERT_EQ(o.exit_status, 0) << o.output;
  const json j = read_json(out);
  EXPECT_EQ(j["kind"], row.kind);
  ASSERT_TRUE(j.contains("dev"));
  EXPECT_TRUE(j["dev"]["binary"].get<std::string>().ends_with("/fuzz_ide_dev")) << j["dev"]["binary"];
  EXPECT_EQ(j["dev"]["kind"], row.kind);
  EXPECT_EQ(j["dev"]["blamed_frame"]["function"], row.function);
  // No debug build next to it: one line.
  const auto copy = m_dir / "fuzz_copy";
  fs::copy_file(k_bin_dir + "/fuzz_ide", copy);
  const auto missing = triage({copy.string(), artifact(row), "--dev"});
  EXPECT_EQ(missing.exit_status, 10) << missing.output;
  EXPECT_TRUE(missing.output.starts_with("triage: error: --dev: no debug build")) << missing.output;
}

// ---- lldb command files ---------------------------------------------------------------------------

struct ScriptCase {
  std::string bug;
  std::string target;
  std::string expect_breakpoint;   ///< a line the command file must have
  std::string expect_in_lldb;      ///< a decoded register lldb must print through the formatters
};

void PrintTo(const ScriptCase& c, std::ostream* os) { *os << c.bug << " via " << c.target; }

class InspectScript : public Inspect, public ::testing::WithParamInterface<ScriptCase> {};

TEST_P(InspectScript, GeneratedCommandFileReplaysInLldbWithTheBlamedFrameAndDecodedRegisters) {
  const auto& c = GetParam();
  const auto& row = row_for(c.bug, c.target);
  const auto file = m_dir / "follow-up.lldb";
  const auto binary = k_bin_dir + "/" + row.target;
  const auto made = triage({"script", binary, artifact(row), "-o", file.string()});
  ASSERT_EQ(made.exit_status, 0) << made.output;
  std::ifstream in(file);
  const std::string script((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(script.starts_with("# triage: lldb command file")) << script;
  EXPECT_NE(script.find("settings set auto-confirm true\n"), std::string::npos);
  EXPECT_NE(script.find(c.expect_breakpoint), std::string::npos) << script;
  EXPECT_NE(script.find("\nframe select "), std::string::npos) << script;
  EXPECT_NE(script.find("\ntriage-dump\n"), std::string::npos) << script;

  const auto o = run({"/usr/bin/lldb-19", "-b", "-s", file.string(), "--", binary, artifact(row)},
                     {"PATH=/usr/bin:/bin", "LLDB_DEBUGSERVER_PATH=" TRIAGE_TEST_LLVM_ROOT "/bin/lldb-server"});
  EXPECT_EQ(o.exit_status, 0) << o.output.substr(o.output.size() > 4000 ? o.output.size() - 4000 : 0);
  // lldb selected the blamed frame...
  const auto select = o.output.find("(lldb) frame select");
  ASSERT_NE(select, std::string::npos) << o.output;
  const auto frame_line = o.output.substr(select, o.output.find('\n', o.output.find('\n', select) + 1) - select);
  const std::string base = row.function.substr(row.function.rfind("::") + 2);
  EXPECT_NE(frame_line.find(base), std::string::npos) << frame_line;
  // ... and printed the registers decoded through the formatters, never as characters.
  EXPECT_NE(o.output.find(c.expect_in_lldb), std::string::npos) << o.output.substr(select);
  EXPECT_EQ(o.output.find("(bits = '"), std::string::npos) << "a register printed as a character";
  EXPECT_NE(o.output.find("(lldb) triage-dump"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Kinds, InspectScript,
                         ::testing::Values(
                             // ASan: triage stopped in __sanitizer::Die, after the report, before LLDB's plugin.
                             ScriptCase{"IDE-01", "fuzz_ide", "breakpoint set -n __sanitizer::Die -N triage_crash",
                                        "[DSC|DRDY]"},
                             // Rust panic on the 135th call of a hot function.
                             ScriptCase{"RS-01", "fuzz_ide_rs", "breakpoint modify -i ", "[ERR|DSC|DRDY]"},
                             // abort() from the RTC's BCD decoding, reached through the chipset harness.
                             ScriptCase{"RTC-03", "fuzz_chipset", "breakpoint set -n abort -N triage_crash", "[DISCHARGING]"},
                             // A malloc over libFuzzer's limit: its HandleMalloc runs on every malloc, so the
                             // file breaks where triage stopped, in the stack trace HandleMalloc prints.
                             ScriptCase{"BAT-02", "fuzz_battery",
                                        "breakpoint set -n fuzzer::PrintStackTrace -N triage_crash", "[DISCHARGING]"}),
                         [](const auto& info) {
                           std::string n = info.param.bug;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

// ---- printed lldb paths read the printed values ---------------------------------------------------

class InspectPaste : public Inspect, public ::testing::WithParamInterface<std::string> {};

/// The value lldb printed for `path` on a "PASTE <path> = <number>" line (see the script below).
std::optional<uint64_t> value_lldb_printed(const std::string& output, const std::string& path) {
  const std::string key = "\nPASTE " + path + " = ";  // the printed line, not the echoed command
  const auto at = output.find(key);
  if (at == std::string::npos || !std::isdigit(static_cast<unsigned char>(output[at + key.size()]))) {
    return std::nullopt;
  }
  return std::stoull(output.substr(at + key.size()));
}

// Every register triage reports, for C++ and Rust devices: its printed path, pasted into lldb-19 at
// the stop triage made (the command file `triage script` writes, which selects the device's frame),
// reads the printed raw value. The path is resolved as `frame variable` resolves it
// (SBFrame::GetValueForVariablePath) and its bytes read raw, so that no formatter stands between the
// path and the memory (a bitfield register prints as members, its raw value is its bytes).
TEST_P(InspectPaste, EveryPrintedRegisterPathReadsThePrintedValueInLldb) {
  const auto& row = row_for(GetParam());
  const auto binary = k_bin_dir + "/" + row.target;
  const auto reported = triage({"-f", "json", binary, artifact(row)});
  const auto j = json::parse(reported.output.substr(std::min(reported.output.find('{'), reported.output.size())),
                             nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << reported.output;
  std::vector<std::pair<std::string, uint64_t>> expected;  // path -> raw
  for (const auto& d : j["devices"]) {
    for (const auto& reg : d["registers"]) {
      expected.emplace_back(reg["lldb_path"].get<std::string>(), reg["value"].get<uint64_t>());
    }
  }
  if (expected.empty()) {
    GTEST_SKIP() << GetParam() << ": no register reported";
  }
  const auto file = m_dir / "paste.lldb";
  ASSERT_EQ(triage({"script", binary, artifact(row), "-o", file.string()}).exit_status, 0);
  std::ifstream in(file);
  std::string script, line;
  while (std::getline(in, line)) {
    script += line + "\n";
    for (const std::string verb : {"frame variable ", "target variable "}) {
      if (line.starts_with(verb) && line.size() > verb.size()) {
        const std::string path = line.substr(verb.size());
        // `target variable ::g.x` is a global and a path below it, resolved as the command does:
        // through the raw value, not libstdc++'s synthetic children.
        const std::string resolve =
            verb == "frame variable " ? "lldb.frame.GetValueForVariablePath(\"" + path + "\")"
                                      : "(lambda p: lldb.target.FindFirstGlobalVariable(re.split(r'[.\\[-]', p.lstrip(':'), "
                                        "maxsplit=1)[0]).GetNonSyntheticValue().GetValueForExpressionPath(p.lstrip(':')[len(re.split(r'[.\\[-]', "
                                        "p.lstrip(':'), maxsplit=1)[0]):]))(\"" + path + "\")";
        script += "script import re; v = " + resolve + "; print(\"PASTE " + path +
                  " = \" + (str(int.from_bytes(bytes(v.GetData().ReadRawData(lldb.SBError(), 0, v.GetByteSize())), "
                  "\"little\")) if v.IsValid() and v.GetByteSize() else \"unreadable\"))\n";
      }
    }
  }
  std::ofstream(file) << script;
  const auto o = run({"/usr/bin/lldb-19", "-b", "-s", file.string(), "--", binary, artifact(row)},
                     {"PATH=/usr/bin:/bin", "LLDB_DEBUGSERVER_PATH=" TRIAGE_TEST_LLVM_ROOT "/bin/lldb-server"});
  for (const auto& [path, raw] : expected) {
    EXPECT_EQ(value_lldb_printed(o.output, path), raw) << path;
  }
}

INSTANTIATE_TEST_SUITE_P(Bugs, InspectPaste,
                         ::testing::Values("IDE-01", "IDE-02", "IDE-03", "IDE-04", "IDE-05", "IDE-06", "IDE-07",
                                           "RTC-01", "RTC-02", "RTC-03", "UART-01", "UART-02", "BAT-01", "BAT-02",
                                           "BAT-03", "RS-01", "RS-02", "RS-03"),
                         [](const auto& info) {
                           std::string n = info.param;
                           std::replace(n.begin(), n.end(), '-', '_');
                           return n;
                         });

}  // namespace
}  // namespace triage::testing
