#include <gtest/gtest.h>

#include <functional>

#include <csignal>

#include <nlohmann/json.hpp>

#include "triage/core/classify.hpp"
#include "triage/core/report.hpp"

namespace triage::core {
namespace {

CrashSnapshot snap(StopCause cause, std::string handler, std::string stderr_text = "") {
  CrashSnapshot s;
  s.cause = cause;
  s.handler = std::move(handler);
  s.stderr_text = std::move(stderr_text);
  return s;
}

TEST(Classify, AsanReportDecidesHeapOverflowDirection) {
  auto s = snap(StopCause::sanitizer, "AddressSanitizer",
                "==1==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x6 at pc 0x1 bp 0x2 sp 0x3\n"
                "READ of size 512 at 0x6 thread T0\n");
  s.sanitizer = SanitizerReport{"AddressSanitizer", "heap-buffer-overflow", 0x6, 512, false, true};
  auto c = classify(s);
  EXPECT_EQ(c.kind, CrashKind::heap_buffer_overflow_read);
  EXPECT_EQ(c.message, "heap-buffer-overflow: READ of size 512 at 0x6 thread T0");
  s.sanitizer->is_write = true;
  s.stderr_text.clear();
  EXPECT_EQ(classify(s).kind, CrashKind::heap_buffer_overflow_write);
  EXPECT_EQ(crash_kind_info(CrashKind::heap_buffer_overflow_write).severity, Severity::exploitable);
}

TEST(Classify, NullDerefVersusWildSegv) {
  auto s = snap(StopCause::signal, "SIGSEGV");
  s.signal = SIGSEGV;
  s.signal_name = "SIGSEGV";
  s.fault_address = 0x10;
  EXPECT_EQ(classify(s).kind, CrashKind::null_deref);
  s.fault_address = 0xdeadbeef000;
  EXPECT_EQ(classify(s).kind, CrashKind::segv);
  // ASan later reports the same SIGSEGV as a stack overflow: the sanitizer's word wins.
  s.sanitizer = SanitizerReport{"AddressSanitizer", "stack-overflow", 0x7fff0000, 0, std::nullopt, true};
  EXPECT_EQ(classify(s).kind, CrashKind::stack_overflow);
}

TEST(Classify, FpeKeepsTheUbsanExplanation) {
  auto s = snap(StopCause::signal, "SIGFPE", "a.cpp:3:4: runtime error: division by zero\n");
  s.signal = SIGFPE;
  s.sanitizer = SanitizerReport{"UndefinedBehaviorSanitizer", "Division by zero", std::nullopt, std::nullopt, std::nullopt, false};
  const auto c = classify(s);
  EXPECT_EQ(c.kind, CrashKind::fpe);
  EXPECT_EQ(c.message, "SIGFPE: division by zero");
}

TEST(Classify, HandlersAndTheirMessages) {
  auto a = classify(snap(StopCause::breakpoint, "__assert_fail",
                         "x: /src/o.cpp:120: void f(): Assertion `n <= 36' failed.\n"));
  EXPECT_EQ(a.kind, CrashKind::assert);
  ASSERT_TRUE(a.location);
  EXPECT_EQ(a.location->line, 120u);

  auto x = classify(snap(StopCause::breakpoint, "std::terminate",
                         "terminate called after throwing an instance of 'std::out_of_range'\n  what():  map::at\n"));
  EXPECT_EQ(x.kind, CrashKind::cxx_exception);
  EXPECT_EQ(x.message, "uncaught exception std::out_of_range: map::at");

  auto p = classify(snap(StopCause::breakpoint, "core::panicking::panic_fmt",
                         "thread 'main' panicked at src/channel.rs:40:9:\ncalled `Option::unwrap()` on a `None` value\n"));
  EXPECT_EQ(p.kind, CrashKind::rust_panic);
  EXPECT_EQ(p.message, "called `Option::unwrap()` on a `None` value");

  auto b = classify(snap(StopCause::breakpoint, "abort", "INFO: Seed: 1\nrtc: invalid BCD value 0x7a in register 0x00\n"));
  EXPECT_EQ(b.kind, CrashKind::abort);
  EXPECT_EQ(b.message, "rtc: invalid BCD value 0x7a in register 0x00");

  // An abort() preceded by a glibc assertion message is an assert, whichever breakpoint saw it first.
  EXPECT_EQ(classify(snap(StopCause::breakpoint, "abort", "p: f.c:1: int g(): Assertion `0' failed.\n")).kind,
            CrashKind::assert);

  auto oom = classify(snap(StopCause::breakpoint, "fuzzer::Fuzzer::HandleMalloc",
                           "==7== ERROR: libFuzzer: out-of-memory (malloc(4294967296))\n"));
  EXPECT_EQ(oom.kind, CrashKind::oom);
  EXPECT_EQ(oom.message, "out-of-memory (malloc(4294967296))");
}

TEST(Classify, TimeoutLeakAndNoRepro) {
  auto t = snap(StopCause::watchdog, "watchdog");
  t.timeout_seconds = 5;
  EXPECT_EQ(classify(t).kind, CrashKind::timeout);
  EXPECT_EQ(classify(t).message, "no result after 5 s: interrupted while running");
  EXPECT_EQ(classify(snap(StopCause::native_leak, "LeakSanitizer",
                          "Direct leak of 16 byte(s) in 1 object(s) allocated from:\n"))
                .kind,
            CrashKind::leak);
  auto none = snap(StopCause::none, "");
  none.exit_status = 0;
  EXPECT_FALSE(classify(none).crashed);
  EXPECT_EQ(analyze(none, {}).result, ResultKind::no_repro);
}

TEST(Classify, UbsanOnlyFindingGetsItsOwnKindId) {
  auto s = snap(StopCause::none, "", "x.cpp:9:3: runtime error: shift exponent 40 is too large for 32-bit type 'int'\n");
  s.sanitizer = SanitizerReport{"UndefinedBehaviorSanitizer", "Shift exponent", std::nullopt, std::nullopt, std::nullopt, false};
  const auto c = classify(s);
  EXPECT_TRUE(c.crashed);
  EXPECT_EQ(c.kind, CrashKind::ubsan);
  EXPECT_EQ(c.kind_id, "ubsan-shift");
  EXPECT_EQ(c.message, "shift exponent 40 is too large for 32-bit type 'int'");
}

TEST(Snapshot, RoundTripsThroughJson) {
  CrashSnapshot s = snap(StopCause::signal, "SIGSEGV", "out");
  s.signal = 11;
  s.fault_address = 0;
  s.frames.push_back(Frame{"f(int)", "m", "/a.cpp", 3, 4, true, 0x1234});
  s.devices.push_back(DeviceRoot{"ide", "global", DumpedValue{"g", "T", "g", "", 5, "status", "ide", {"Arc"}, {{"Arc.strong", "1"}}, {}}, 7u});
  const auto back = snapshot_from_json(to_json(s));
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(to_json(*back), to_json(s));
  EXPECT_EQ(back->frames.at(0).line, 3u);
  EXPECT_EQ(back->devices.at(0).value.facts.at(0).second, "1");
  EXPECT_EQ(back->devices.at(0).frame, 7u);
  nlohmann::json bad = to_json(s);
  bad["schema_version"] = 99;
  EXPECT_FALSE(snapshot_from_json(bad));
}

}  // namespace
TEST(Snapshot, WrongShapesAreErrorsNotNoRepro) {
  CrashSnapshot s = snap(StopCause::signal, "SIGSEGV", "out");
  s.signal = 11;
  const nlohmann::json good = to_json(s);
  const std::vector<std::pair<std::function<void(nlohmann::json&)>, std::string>> cases{
      {[](nlohmann::json& j) { j.erase("cause"); }, "no \"cause\""},
      {[](nlohmann::json& j) { j["cause"] = "crash"; }, "unknown cause \"crash\""},
      {[](nlohmann::json& j) { j["cause"] = 2; }, "type must be string"},
      {[](nlohmann::json& j) { j["frames"] = "f"; }, "\"frames\" is not an array"},
      {[](nlohmann::json& j) { j["frames"] = nlohmann::json::array({1}); }, "\"frames\" holds a value that is not an object"},
      {[](nlohmann::json& j) { j["signal"] = "11"; }, "type must be an integer"},
      {[](nlohmann::json& j) { j["signal"] = 5.5e68; }, "type must be an integer"},
      {[](nlohmann::json& j) { j["signal"] = 1ll << 40; }, "is out of range"},
      {[](nlohmann::json& j) { j["sanitizer"] = "asan"; }, "\"sanitizer\" is not an object"},
      {[](nlohmann::json& j) { j = nlohmann::json::array(); }, "not a JSON object"},
  };
  for (const auto& [mutate, expected] : cases) {
    nlohmann::json j = good;
    mutate(j);
    const auto back = snapshot_from_json(j);
    ASSERT_FALSE(back) << j.dump();
    EXPECT_EQ(back.error().code, ErrorCode::data_invalid);
    EXPECT_NE(back.error().message.find(expected), std::string::npos) << back.error().message;
  }
}

TEST(Snapshot, DeviceValuesNestedBeyondAnyDeviceAreAnErrorNotAStackOverflow) {
  CrashSnapshot s = snap(StopCause::signal, "SIGSEGV", "out");
  nlohmann::json j = to_json(s);
  nlohmann::json value = {{"name", "leaf"}};
  for (int i = 0; i < 100000; ++i) {
    value = nlohmann::json{{"name", "n"}, {"children", nlohmann::json::array({std::move(value)})}};
  }
  j["devices"] = nlohmann::json::array({{{"device", "d"}, {"value", std::move(value)}}});
  const auto back = snapshot_from_json(j);
  ASSERT_FALSE(back);
  EXPECT_NE(back.error().message.find("nest deeper than 64"), std::string::npos) << back.error().message;
}

}  // namespace triage::core
