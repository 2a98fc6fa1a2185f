// The lldb command file generated for a report, and the classification of an attach.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "triage/core/reproduce.hpp"
#include "triage/emit/lldb_script.hpp"
#include "triage/core/report.hpp"

namespace triage::core {
namespace {

using emit::LldbScriptOptions;
using emit::make_lldb_script;
using emit::script_handler_breakpoint;

Report panic_report() {
  CrashSnapshot s;
  s.binary = "/b/fuzz_ide_rs";
  s.artifact.path = "artifacts/fuzz_ide_rs/crash-1";
  s.cause = StopCause::breakpoint;
  s.handler = "core::panicking::panic_fmt";
  s.stderr_text = "thread '<unnamed>' panicked at src/channel.rs:157:43:\nindex out of bounds: the len is 4 but the index is 4\n";
  s.frames = {{"core::panicking::panic_fmt", "fuzz_ide_rs", "", 0, 0, false, 1},
              {"core::panicking::panic_bounds_check", "fuzz_ide_rs", "", 0, 0, false, 2},
              {"fuzz_ide_rs::channel::Channel::read_data", "fuzz_ide_rs", "/s/src/channel.rs", 157, 43, false, 3},
              {"LLVMFuzzerTestOneInput", "fuzz_ide_rs", "/s/src/lib.rs", 20, 1, false, 4}};
  DumpedValue status{"status", "fuzz_ide_rs::regs::Status", "device->channels[0].regs.status", "88", 0x58, "status", "ide", {}, {}, {}};
  DumpedValue root{"device", "fuzz_ide_rs::device::IdeDevice", "device", "", std::nullopt, "", "", {}, {}, {status}};
  s.devices = {{"ide", "frame #3 LLVMFuzzerTestOneInput", root, 3u}};
  IgnoreList ignore;
  ignore.add({"rust", {"core::*", "LLVMFuzzerTestOneInput"}, {}, {}});
  static SchemaSet schemas = [] {
    SchemaSet set;
    auto ide = parse_device_schema(R"(schema_version = 1
device = "ide"
device_types = ["fuzz_ide_rs::device::IdeDevice"]
[[registers]]
name = "status"
width = 8
types = ["fuzz_ide_rs::regs::Status"]
  [[registers.fields]]
  name = "DRQ"
  bit = 3
)",
                                   "test");
    set.add(std::move(*ide));
    return set;
  }();
  AnalysisConfig ac;
  ac.ignore = &ignore;
  ac.schemas = &schemas;
  return analyze(s, ac);
}

TEST(LldbScript, PanicOnTheNthCallBreaksOnTheHandlerAndTheNthCall) {
  const Report r = panic_report();
  ASSERT_TRUE(r.blamed);
  LldbScriptOptions o;
  o.scripts_dir = "/repo/lldb_scripts";
  o.blamed_calls = 135;
  const std::string s = make_lldb_script(r, o);
  EXPECT_TRUE(s.starts_with("# triage: lldb command file for artifacts/fuzz_ide_rs/crash-1\n")) << s;
  // How to run it names the build's lldb and lldb-server, not a version's path written in the code.
  EXPECT_NE(s.find(fmt::format("\n#   LLDB_DEBUGSERVER_PATH={} {} -b -s THIS_FILE -- /b/fuzz_ide_rs artifacts/fuzz_ide_rs/crash-1\n",
                               TRIAGE_LLDB_SERVER, TRIAGE_LLDB_CLI)),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("\nsettings set auto-confirm true\n"), std::string::npos) << s;
  EXPECT_NE(s.find("\ncommand script import /repo/lldb_scripts/triage_lldb.py\n"), std::string::npos) << s;
  EXPECT_NE(s.find("\nbreakpoint set -n core::panicking::panic_fmt -N triage_crash\n"), std::string::npos) << s;
  EXPECT_NE(s.find("\nbreakpoint set -n fuzz_ide_rs::channel::Channel::read_data -N triage_hot\n"
                   "breakpoint modify -i 134 triage_hot\nrun\nbt 20\nframe variable\n"
                   "breakpoint disable triage_hot\ncontinue\nbt 40\n"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("\nframe select 2\nframe variable\n"), std::string::npos) << s;
  // The register's path is used in the frame the device was found in.
  EXPECT_NE(s.find("\nframe select 3\n"), std::string::npos) << s;
  EXPECT_NE(s.find("\n# status = 0x58 [DRQ] at the crash\nframe variable device->channels[0].regs.status\n"),
            std::string::npos)
      << s;
  EXPECT_TRUE(s.ends_with("triage-dump\nprocess kill\nquit\n")) << s;
}

TEST(LldbScript, OneCallNoHandlerAndNoScriptsDirMeansNoExtraBreakpoints) {
  Report r = panic_report();
  r.handler = "SIGSEGV";
  LldbScriptOptions o;
  o.blamed_calls = 1;
  const std::string s = make_lldb_script(r, o);
  EXPECT_EQ(s.find("breakpoint set"), std::string::npos) << s;
  EXPECT_EQ(s.find("command script import"), std::string::npos) << s;
  EXPECT_EQ(s.find("triage-dump"), std::string::npos) << s;
  EXPECT_NE(s.find("# lldb stops by itself on SIGSEGV.\nrun\n"), std::string::npos) << s;
  // On a signal stop, UBSan's recover-mode report stops (which triage does not make) are passed first.
  EXPECT_NE(s.find("\nscript while lldb.process.GetSelectedThread().GetStopReason() == lldb.eStopReasonInstrumentation: "
                   "lldb.process.Continue()\nbt 40\n"),
            std::string::npos)
      << s;
  // A message with a newline cannot break out of its comment.
  r.classification.message = "line one\nprocess kill";
  const std::string s2 = make_lldb_script(r, o);
  EXPECT_EQ(s2.find("\nprocess kill\nrun"), std::string::npos);
  EXPECT_NE(s2.find("line one process kill"), std::string::npos);
}

TEST(LldbScript, AttachIsALiveResultWithEveryThread) {
  CrashSnapshot s;
  s.cause = StopCause::attach;
  s.source = "attach";
  s.pid = 4242;
  s.threads = {{1, "main", "signal SIGSTOP", {{"spin", "m", "/s/a.cpp", 3, 1, false, 1}}, false},
               {2, "rss", "signal SIGSTOP", {}, false}};
  s.frames = s.threads[0].frames;
  const Report r = analyze(s, {});
  EXPECT_EQ(r.result, ResultKind::live);
  EXPECT_EQ(r.classification.kind_id, "live");
  EXPECT_EQ(r.classification.message, "live process 4242 stopped by attach, 2 threads");
  ASSERT_EQ(r.threads.size(), 2u);
  EXPECT_EQ(r.threads[1].name, "rss");
  // The snapshot keeps threads and pid through JSON.
  const auto back = snapshot_from_json(to_json(s));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->pid, 4242);
  ASSERT_EQ(back->threads.size(), 2u);
  EXPECT_EQ(back->threads[0].frames[0].function, "spin");
  EXPECT_EQ(back->cause, StopCause::attach);
}

TEST(LldbScript, ATimeoutSelectsFramesByFunctionNotNumber) {
  // A timeout interrupts a loop wherever it is: the frame numbers of triage's stop do not hold in lldb's.
  Report r = panic_report();
  r.classification.kind = CrashKind::timeout;
  r.handler = "timeout";
  const std::string s = make_lldb_script(r, LldbScriptOptions{});
  EXPECT_EQ(s.find("\nframe select "), std::string::npos) << s;
  EXPECT_NE(s.find("script next((lldb.thread.SetSelectedFrame(f.GetFrameID()) for f in lldb.thread if "
                   "\"fuzz_ide_rs::channel::Channel::read_data\" in (f.GetFunctionName() or \"\")), None)\nframe info\n"),
            std::string::npos)
      << s;
}

}  // namespace
}  // namespace triage::core

namespace triage::emit {
namespace {

TEST(ReproduceCommand, QuotesWhatTheShellWouldSplitOrExpand) {
  EXPECT_EQ(core::reproduce_command("/b/fuzz_ide", "artifacts/fuzz_ide/crash-1"), "/b/fuzz_ide artifacts/fuzz_ide/crash-1");
  EXPECT_EQ(core::reproduce_command("/b/my fuzz", "crash-$(rm -rf x)'q"), "'/b/my fuzz' 'crash-$(rm -rf x)'\\''q'");
  EXPECT_EQ(lldb_run_command("out/b.lldb", "/b/f", "a b", "/srv/lldb-server"),
            fmt::format("LLDB_DEBUGSERVER_PATH=/srv/lldb-server {} -b -s out/b.lldb -- /b/f 'a b'", TRIAGE_LLDB_CLI));
}

}  // namespace
}  // namespace triage::emit
