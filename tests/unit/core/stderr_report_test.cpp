#include <gtest/gtest.h>

#include "triage/core/stderr_report.hpp"

namespace triage::core {
namespace {

TEST(StderrReport, ParsesCurrentRustPanicFormat) {
  const std::string text =
      "INFO: Running with entropic power schedule (0xFF, 100).\n"
      "thread '<unnamed>' (81234) panicked at fuzz_targets/rust/src/channel.rs:72:17:\n"
      "PACKET command 0xa0 sent to ATA hard drive 0 on channel 1\n"
      "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n"
      "==81234== ERROR: libFuzzer: deadly signal\n";
  const auto p = parse_rust_panic(text);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->message, "PACKET command 0xa0 sent to ATA hard drive 0 on channel 1");
  EXPECT_EQ(p->location.file, "fuzz_targets/rust/src/channel.rs");
  EXPECT_EQ(p->location.line, 72u);
  EXPECT_EQ(p->location.column, 17u);
  EXPECT_EQ(p->thread, "<unnamed>");
}

TEST(StderrReport, ParsesOldRustPanicFormat) {
  const auto p = parse_rust_panic("thread 'main' panicked at 'index out of bounds: the len is 512 but the index is 512', src/channel.rs:88:9\n");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->message, "index out of bounds: the len is 512 but the index is 512");
  EXPECT_EQ(p->location.file, "src/channel.rs");
  EXPECT_EQ(p->location.line, 88u);
}

TEST(StderrReport, ParsesMultiLinePanicMessage) {
  const auto p = parse_rust_panic("thread 'main' panicked at src/a.rs:1:2:\nline one\nline two\nnote: run with\n");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->message, "line one\nline two");
}

TEST(StderrReport, ParsesGlibcAssert) {
  const auto a = parse_assert(
      "Running: crash-1\nfuzz_ide: /work/devices/ide/optical_drive.cpp:120: void devices::ide::OpticalDrive::inquiry(): "
      "Assertion `allocation_length <= sizeof(InquiryData)' failed.\n==1== ERROR: libFuzzer: deadly signal\n");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->expression, "allocation_length <= sizeof(InquiryData)");
  EXPECT_EQ(a->location.file, "/work/devices/ide/optical_drive.cpp");
  EXPECT_EQ(a->location.line, 120u);
  EXPECT_EQ(a->function, "void devices::ide::OpticalDrive::inquiry()");
}

TEST(StderrReport, ParsesTerminateMessage) {
  const auto e = parse_terminate("terminate called after throwing an instance of 'std::out_of_range'\n  what():  map::at\n");
  ASSERT_TRUE(e);
  EXPECT_EQ(e->type, "std::out_of_range");
  EXPECT_EQ(e->what, "map::at");
}

TEST(StderrReport, ParsesSanitizerHeadlines) {
  const auto h = parse_sanitizer_headline(
      "=================================================================\n"
      "==4242==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000011 at pc 0x1 bp 0x2 sp 0x3\n"
      "WRITE of size 1 at 0x602000000011 thread T0\n");
  ASSERT_TRUE(h);
  EXPECT_EQ(h->tool, "AddressSanitizer");
  EXPECT_EQ(h->description, "heap-buffer-overflow");
  EXPECT_EQ(h->access, "WRITE of size 1 at 0x602000000011 thread T0");
  const auto oom = parse_sanitizer_headline("==77== ERROR: libFuzzer: out-of-memory (malloc(4294967296))\n");
  ASSERT_TRUE(oom);
  EXPECT_EQ(oom->tool, "libFuzzer");
  EXPECT_EQ(oom->description, "out-of-memory (malloc(4294967296))");
}

TEST(StderrReport, ParsesUnsymbolizedLeakStacks) {
  const auto leak = parse_leak_report(
      "==9==ERROR: LeakSanitizer: detected memory leaks\n\n"
      "Direct leak of 16 byte(s) in 1 object(s) allocated from:\n"
      "    #0 0x561ec53f1a5d  (/work/build/bin/fuzz_battery+0x118a5d) (BuildId: 6355)\n"
      "    #1 0x561ec5432da1  (/work/build/bin/fuzz_battery+0x159da1) (BuildId: 6355)\n"
      "\nSUMMARY: AddressSanitizer: 16 byte(s) leaked in 1 allocation(s).\n");
  ASSERT_TRUE(leak);
  EXPECT_EQ(leak->headline, "Direct leak of 16 byte(s) in 1 object(s)");
  EXPECT_EQ(leak->bytes, 16u);
  ASSERT_EQ(leak->frames.size(), 2u);
  EXPECT_EQ(leak->frames[1].module, "/work/build/bin/fuzz_battery");
  EXPECT_EQ(leak->frames[1].module_offset, 0x159da1u);
}

TEST(StderrReport, AFrameWithOnlyALocationHasNoFunctionAndANormalPath) {
  // libFuzzer's timeout stack, the alarm landing in code inlined from libstdc++'s gthr-default.h: the
  // symbolizer names no function. The path was taken for the function and blamed (UART-01, 1 run in 3).
  const auto frames = parse_report_stack(
      "==7== ERROR: libFuzzer: timeout after 1 seconds\n"
      "    #0 0x55d0c1 in /usr/lib/gcc/x86_64-linux-gnu/12/../../../../include/x86_64-linux-gnu/c++/12/bits/"
      "gthr-default.h:749:12\n"
      "    #1 0x55d0c2 in devices::uart::Uart::transmit_loopback() /work/devices/uart/uart.cpp:88:7\n");
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].function, "");
  EXPECT_EQ(frames[0].location.file, "/usr/include/x86_64-linux-gnu/c++/12/bits/gthr-default.h");
  EXPECT_EQ(frames[0].location.line, 749u);
  EXPECT_EQ(frames[0].location.column, 12u);
  EXPECT_EQ(frames[1].function, "devices::uart::Uart::transmit_loopback()");
  EXPECT_EQ(frames[1].location.file, "/work/devices/uart/uart.cpp");
}

TEST(StderrReport, FindsTheLastLineTheProgramPrinted) {
  EXPECT_EQ(last_program_line("INFO: Seed: 1\nRunning: x\nrtc: invalid BCD value 0x7a in register 0x00\n"
                              "==12== ERROR: libFuzzer: deadly signal\n    #0 0x1 in f\nSUMMARY: libFuzzer: deadly signal\n"),
            "rtc: invalid BCD value 0x7a in register 0x00");
}

TEST(StderrReport, ParsesUbsanRuntimeErrors) {
  const auto rt = parse_ubsan_runtime_error("devices/rtc/cmos_rtc.cpp:210:37: runtime error: division by zero\n");
  ASSERT_TRUE(rt);
  EXPECT_EQ(rt->first, "division by zero");
  EXPECT_EQ(rt->second.line, 210u);
}

// A target printed one 60 KB line: std::regex recursed once per character (~218,000 frames) and the
// engine died of a stack overflow. Every parser must take such lines in its stride.
TEST(StderrReport, ParsersSurviveMegabyteLines) {
  std::string line(1 << 20, 'a');
  for (size_t i = 0; i + 4 < line.size(); i += 64) {
    line.replace(i, 4, "x:1:");
  }
  const std::string text = line + "\n" + line + " f.c:12:3: runtime error: load of misaligned address\n";
  EXPECT_FALSE(parse_rust_panic(text));
  EXPECT_FALSE(parse_assert(text));
  EXPECT_FALSE(parse_terminate(text));
  EXPECT_FALSE(parse_sanitizer_headline(text));
  EXPECT_FALSE(parse_leak_report(text));
  EXPECT_TRUE(parse_rust_backtrace("stack backtrace:\n" + text).empty());
  EXPECT_TRUE(parse_report_stack(text).empty());
  const auto rt = parse_ubsan_runtime_error(text);
  ASSERT_TRUE(rt);
  EXPECT_EQ(rt->first, "load of misaligned address");
  EXPECT_EQ(rt->second.line, 12u);
  EXPECT_EQ(last_program_line(text).size(), 16u * 1024);  // lines are cut before parsing
}

TEST(StderrReport, TailCutsAtALineStart) {
  EXPECT_EQ(tail("aaaa\nbbbb\ncccc\n", 7), "cccc\n");
  EXPECT_EQ(tail("short", 100), "short");
}

}  // namespace
}  // namespace triage::core
