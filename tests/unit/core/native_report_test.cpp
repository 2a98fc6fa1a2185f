#include <gtest/gtest.h>

#include "triage/core/native_report.hpp"

namespace triage::core {
namespace {

// What ASan has written to stderr by the time __sanitizer::Die is entered (symbolize=0).
constexpr const char* k_uaf_report =
    "INFO: Running with entropic power schedule (0xFF, 100).\n"
    "=================================================================\n"
    "==4242==ERROR: AddressSanitizer: heap-use-after-free on address 0x515000000580 at pc 0x5555556bbf1e bp "
    "0x7fffffffe510 sp 0x7fffffffe508\n"
    "WRITE of size 1 at 0x515000000580 thread T0\n"
    "    #0 0x5555556bbf1d  (/work/build/bin/fuzz_ide+0x167f1d)\n";

TEST(SanitizerReportFromText, ReadsToolDescriptionAddressAccessAndSize) {
  const auto r = sanitizer_report_from_text(k_uaf_report);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->tool, "AddressSanitizer");
  EXPECT_EQ(r->description, "heap-use-after-free");
  EXPECT_EQ(r->address, 0x515000000580u);
  EXPECT_EQ(r->access_size, 1u);
  EXPECT_EQ(r->is_write, true);
  EXPECT_TRUE(r->fatal);
}

TEST(SanitizerReportFromText, ReadOfEightBytes) {
  const auto r = sanitizer_report_from_text(
      "==7==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x502000000018 at pc 0x1 bp 0x2 sp 0x3\n"
      "READ of size 8 at 0x502000000018 thread T0\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->description, "heap-buffer-overflow");
  EXPECT_EQ(r->access_size, 8u);
  EXPECT_EQ(r->is_write, false);
}

TEST(SanitizerReportFromText, SignalsAndLibFuzzerHeadlinesAreNotMemoryReports) {
  // A deadly signal is reported as a signal by the debugger, not as a memory error.
  EXPECT_FALSE(sanitizer_report_from_text("==9==ERROR: AddressSanitizer: SEGV on unknown address 0x000000000010\n"));
  EXPECT_FALSE(sanitizer_report_from_text("==9== ERROR: libFuzzer: deadly signal\n"));
  EXPECT_FALSE(sanitizer_report_from_text("no report at all\n"));
}

TEST(SanitizerReportFromText, DeadlySignalReportWhenAskedFor) {
  // At __sanitizer::Die after a SIGFPE the debugger already caught: the report completes the crash.
  const auto r = sanitizer_report_from_text("==5==ERROR: AddressSanitizer: FPE on unknown address 0x5555556a3470 (pc "
                                            "0x5555556a3470 bp 0x1 sp 0x2 T0)\n",
                                            true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->description, "FPE");
  EXPECT_EQ(r->address, 0x5555556a3470u);
  EXPECT_TRUE(r->fatal);
}

TEST(UbsanReportFromText, FirstRuntimeErrorIsANonFatalReport) {
  const auto r = ubsan_report_from_text(
      "INFO: Seed: 1\n"
      "devices/battery/commands.cpp:90:67: runtime error: division by zero\n"
      "SUMMARY: UndefinedBehaviorSanitizer: undefined-behavior devices/battery/commands.cpp:90:67\n"
      "devices/rtc/cmos.cpp:12:3: runtime error: shift exponent 40 is too large\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->tool, "UndefinedBehaviorSanitizer");
  EXPECT_EQ(r->description, "division by zero");
  EXPECT_FALSE(r->fatal);
  EXPECT_FALSE(ubsan_report_from_text("==1==ERROR: AddressSanitizer: heap-use-after-free on address 0x1\n"));
}

TEST(SanitizerReportFromText, ReportWithoutAccessLineHasNoSize) {
  const auto r = sanitizer_report_from_text(
      "==3==ERROR: AddressSanitizer: attempting double-free on 0x502000000010 in thread T0:\n");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->description, "double-free");  // the runtime's id, as LLDB's instrumentation stop gives it
  EXPECT_FALSE(r->access_size);
  EXPECT_FALSE(r->is_write);
}

TEST(NativeRun, AsanReportGivesTheSameSanitizerReportAsTheDebugger) {
  NativeRun run;
  run.exit_status = 1;
  run.output = k_uaf_report;
  const auto s = snapshot_from_native_run(run);
  ASSERT_TRUE(s.sanitizer);
  EXPECT_EQ(s.cause, StopCause::native_crash);
  EXPECT_EQ(s.sanitizer->description, "heap-use-after-free");
  EXPECT_EQ(s.sanitizer->access_size, 1u);
  ASSERT_FALSE(s.frames.empty());
  EXPECT_EQ(s.frames[0].module, "fuzz_ide");
}

}  // namespace
}  // namespace triage::core
