#include <gtest/gtest.h>

#include "triage/core/frame_filter.hpp"
#include "triage/core/signature.hpp"

namespace triage::core {
namespace {

IgnoreList shipped_ignore_list() {
  auto list = load_ignore_list(std::string(TRIAGE_TEST_DATA_DIR) + "/ignore_frames.toml");
  EXPECT_TRUE(list) << (list ? "" : list.error().message);
  return list ? *list : IgnoreList{};
}

Frame frame(std::string fn, std::string module = "fuzz_ide", std::string file = "", uint32_t line = 0, uint64_t pc = 0) {
  Frame f;
  f.function = std::move(fn);
  f.module = std::move(module);
  f.file = std::move(file);
  f.line = line;
  f.pc = pc;
  return f;
}

TEST(FrameFilter, BlamesTheFirstFrameOutsideRuntimeSanitizersAndLibFuzzer) {
  const auto ignore = shipped_ignore_list();
  const std::vector<Frame> frames{
      frame("__asan::AsanDie()"),
      frame("__sanitizer::Die()"),
      frame("__asan_report_store1"),
      frame("std::vector<unsigned char>::operator[](unsigned long)", "fuzz_ide", "/usr/include/c++/12/bits/stl_vector.h"),
      frame("devices::ide::Channel::write_data_port(unsigned short, unsigned int)", "fuzz_ide", "/src/channel.cpp", 193),
      frame("LLVMFuzzerTestOneInput", "fuzz_ide", "/src/fuzz_targets/cpp/fuzz_ide.cpp", 54),
      frame("fuzzer::Fuzzer::ExecuteCallback(unsigned char const*, unsigned long)"),
      frame("__libc_start_main", "libc.so.6"),
  };
  const auto stack = filter_frames(frames, ignore);
  ASSERT_TRUE(stack.blamed.has_value());
  EXPECT_EQ(*stack.blamed, 4u);
  EXPECT_EQ(stack.frames[4].normalized, "devices::ide::Channel::write_data_port");
  EXPECT_EQ(stack.frames[0].ignored_by, "sanitizers");
  EXPECT_EQ(stack.frames[3].ignored_by, "libstdc++");
  EXPECT_EQ(stack.frames[5].ignored_by, "harness");
  EXPECT_EQ(stack.frames[6].ignored_by, "libfuzzer");
  EXPECT_EQ(stack.frames[7].ignored_by, "libc");
}

TEST(FrameFilter, IgnoresRustPanicMachineryAndStd) {
  const auto ignore = shipped_ignore_list();
  const std::vector<Frame> frames{
      frame("core::panicking::panic_fmt::h0123456789abcdef", "fuzz_ide_rs", "/rustc/abc/library/core/src/panicking.rs", 75),
      frame("core::panicking::panic_bounds_check::hfedcba9876543210", "fuzz_ide_rs", "/rustc/abc/library/core/src/panicking.rs", 280),
      frame("fuzz_ide_rs::channel::Channel::read_data::h1111111111111111", "fuzz_ide_rs", "/src/channel.rs", 88),
  };
  const auto stack = filter_frames(frames, ignore);
  ASSERT_TRUE(stack.blamed);
  EXPECT_EQ(stack.frames[*stack.blamed].normalized, "fuzz_ide_rs::channel::Channel::read_data");
}

TEST(Signature, IsStableAcrossAddressesAndRebuildArtefacts) {
  const auto ignore = shipped_ignore_list();
  const auto a = filter_frames({frame("__asan_report_load1", "fuzz_ide", "", 0, 0x5555'0000),
                                frame("devices::ide::HardDrive::read_sectors(unsigned int, unsigned int)", "fuzz_ide",
                                      "/a/hard_drive.cpp", 40, 0x5555'1234),
                                frame("devices::ide::Channel::execute(unsigned char)", "fuzz_ide", "/a/channel.cpp", 10)},
                               ignore);
  // Same code, other PCs (ASLR, rebuild) and other argument spellings.
  const auto b = filter_frames({frame("__asan_report_load1", "fuzz_ide", "", 0, 0x7fff'0000),
                                frame("devices::ide::HardDrive::read_sectors(uint32_t, uint32_t)", "fuzz_ide",
                                      "/b/hard_drive.cpp", 41, 0x6666'1234),
                                frame("devices::ide::Channel::execute(uint8_t)", "fuzz_ide", "/b/channel.cpp", 11)},
                               ignore);
  const auto sa = make_signature("heap-buffer-overflow-read", a, "");
  const auto sb = make_signature("heap-buffer-overflow-read", b, "");
  EXPECT_EQ(sa.id, sb.id);
  EXPECT_TRUE(sa.id.starts_with("v1-"));
  EXPECT_EQ(sa.id.size(), 3u + 16u);
  EXPECT_EQ(sa.frames, (std::vector<std::string>{"devices::ide::HardDrive::read_sectors", "devices::ide::Channel::execute"}));
  // The kind is part of the key: two bugs in one function are two signatures.
  EXPECT_NE(make_signature("use-after-free", a, "").id, sa.id);
  // So is the panic location.
  EXPECT_NE(make_signature("rust-panic", a, "channel.rs:10").id, make_signature("rust-panic", a, "channel.rs:12").id);
}

TEST(Signature, TopNFramesOnly) {
  const auto stack = filter_frames({frame("a"), frame("b"), frame("c"), frame("d")}, IgnoreList{});
  EXPECT_EQ(make_signature("abort", stack, "", 3).frames.size(), 3u);
  EXPECT_EQ(make_signature("abort", stack, "", 2).frames, (std::vector<std::string>{"a", "b"}));
  EXPECT_NE(make_signature("abort", stack, "", 2).id, make_signature("abort", stack, "", 3).id);
}

TEST(Signature, CollapsesRecursionWhereverTheOverflowHit) {
  // A <-> B mutual recursion; the fault hit in B in one run, in A (or a leaf C) in another.
  std::vector<std::string> run1{"B", "A", "B", "A", "B", "A", "B", "A"};
  std::vector<std::string> run2{"C", "A", "B", "A", "B", "A", "B", "A", "B"};
  std::vector<std::string> run3{"A", "B", "A", "B", "A", "B", "A"};
  bool collapsed = false;
  EXPECT_EQ(collapse_recursion(run1, &collapsed), (std::vector<std::string>{"A", "B"}));
  EXPECT_TRUE(collapsed);
  EXPECT_EQ(collapse_recursion(run3), (std::vector<std::string>{"A", "B"}));
  EXPECT_EQ(collapse_recursion(run2), (std::vector<std::string>{"C", "A", "B"}));
  // Direct recursion.
  EXPECT_EQ(collapse_recursion({"f", "f", "f", "f", "g"}), (std::vector<std::string>{"f", "g"}));
  // Consecutive frames of one function are one frame wherever the stack stopped: f, f, g and f, g, h
  // are the same bug and must not get two signatures.
  EXPECT_EQ(collapse_recursion({"f", "f", "g"}), (std::vector<std::string>{"f", "g"}));
  EXPECT_EQ(collapse_recursion({"f", "f", "g", "f", "f", "g", "f", "f", "g"}), (std::vector<std::string>{"f", "g"}));
  // Two calls of one function apart from each other stay.
  EXPECT_EQ(collapse_recursion({"f", "g", "f"}), (std::vector<std::string>{"f", "g", "f"}));
}

TEST(Signature, StackOverflowSignatureDoesNotDependOnDepth) {
  std::vector<Frame> deep(128, frame("devices::rtc::CmosRtc::resolve_alias(unsigned char)"));
  std::vector<Frame> deeper(100, frame("devices::rtc::CmosRtc::resolve_alias(unsigned char)"));
  deeper.insert(deeper.begin(), frame("devices::rtc::CmosRtc::is_alias_register(unsigned char) const"));
  const auto s1 = make_signature("stack-overflow", filter_frames(deep, IgnoreList{}), "");
  const auto s2 = make_signature("stack-overflow", filter_frames(deeper, IgnoreList{}), "");
  EXPECT_EQ(s1.frames, (std::vector<std::string>{"devices::rtc::CmosRtc::resolve_alias"}));
  EXPECT_TRUE(s1.recursion_collapsed);
  // The leaf frame above the cycle differs (is_alias_register); the collapsed cycle is the same.
  EXPECT_EQ(s2.frames.back(), "devices::rtc::CmosRtc::resolve_alias");
}

TEST(Sha1, KnownVector) { EXPECT_EQ(sha1_hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d"); }

}  // namespace
}  // namespace triage::core
