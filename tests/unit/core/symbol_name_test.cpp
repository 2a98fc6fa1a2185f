#include <gtest/gtest.h>

#include "triage/core/glob.hpp"
#include "triage/core/symbol_name.hpp"

namespace triage::core {
namespace {

TEST(SymbolName, DropsArgumentListsAndQualifiers) {
  EXPECT_EQ(normalize_function_name("devices::ide::Channel::write_data_port(unsigned short, unsigned int)"),
            "devices::ide::Channel::write_data_port");
  EXPECT_EQ(normalize_function_name("devices::uart::Uart::lsr() const"), "devices::uart::Uart::lsr");
  EXPECT_EQ(normalize_function_name("::LLVMFuzzerTestOneInput(const uint8_t *, size_t)"), "LLVMFuzzerTestOneInput");
}

TEST(SymbolName, DropsTemplateArguments) {
  EXPECT_EQ(normalize_function_name("std::vector<unsigned char, std::allocator<unsigned char> >::at(unsigned long)"),
            "std::vector::at");
  EXPECT_EQ(normalize_function_name("void devices::copy<4ul>(unsigned char*)"), "devices::copy");
}

TEST(SymbolName, KeepsOperatorNames) {
  EXPECT_EQ(normalize_function_name("devices::Fifo::operator[](unsigned long)"), "devices::Fifo::operator[]");
  EXPECT_EQ(normalize_function_name("std::function<void ()>::operator()() const"), "std::function::operator()");
  EXPECT_EQ(normalize_function_name("operator new(unsigned long)"), "operator new");
  EXPECT_EQ(normalize_function_name("foo::operator<<(int)"), "foo::operator<<");
}

TEST(SymbolName, StripsRustHashesAndEscapes) {
  EXPECT_EQ(normalize_function_name("fuzz_ide_rs::channel::Channel::read_data::h5d5b2a6e0c1e8f3a"),
            "fuzz_ide_rs::channel::Channel::read_data");
  EXPECT_EQ(normalize_function_name("core::option::Option$LT$T$GT$::unwrap"), "core::option::Option::unwrap");
  EXPECT_EQ(normalize_function_name("(anonymous namespace)::helper(int)"), "(anonymous namespace)::helper");
}

TEST(Glob, MatchesStarsAcrossScopes) {
  EXPECT_TRUE(glob_match("std::*", "std::vector::at"));
  EXPECT_TRUE(glob_match("*::CloseableMutex<*>", "fuzz_ide_rs::closeable_mutex::CloseableMutex<fuzz_ide_rs::device::IdeDevice>"));
  EXPECT_TRUE(glob_match("abort", "abort"));
  EXPECT_FALSE(glob_match("abort", "abortx"));
  EXPECT_FALSE(glob_match("std::*", "devices::std"));
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(glob_match("a*b*c", "aXXbYY"));
}

TEST(SymbolName, DecodesRustLegacyEscapesOfInlinedFramesAndKeepsQualifiedPaths) {
  // As LLDB names inlined Rust frames (legacy mangling left undecoded).
  EXPECT_EQ(normalize_function_name(
                "_$LT$usize$u20$as$u20$core..slice..index..SliceIndex$LT$$u5b$T$u5d$$GT$$GT$::index::he8e64b6568a3b783"),
            "<usize as core::slice::index::SliceIndex>::index");
  EXPECT_EQ(normalize_function_name("core::slice::index::_$LT$impl$u20$core..ops..index..Index$LT$I$GT$$u20$for$u20$"
                                    "$u5b$T$u5d$$GT$::index::h000315dae6ea9b51"),
            "core::slice::index::<impl core::ops::index::Index for [T]>::index");
  EXPECT_EQ(normalize_function_name("<fuzz::Device as core::ops::drop::Drop>::drop"),
            "<fuzz::Device as core::ops::drop::Drop>::drop");
  // A turbofish is generic arguments, not a qualified path.
  EXPECT_EQ(normalize_function_name("std::sys::backtrace::__rust_end_short_backtrace::<std::panicking::f, !>"),
            "std::sys::backtrace::__rust_end_short_backtrace");
  EXPECT_EQ(display_function_name("fuzz_ide_rs::harness::apply::hd3f39763ffc6d329"), "fuzz_ide_rs::harness::apply");
  EXPECT_EQ(display_function_name("_$LT$alloc..vec..Vec$LT$T$C$A$GT$$u20$as$u20$core..ops..index..Index$LT$I$GT$$GT$"
                                  "::index::h2b2e5797b4b1c5e8"),
            "<alloc::vec::Vec<T,A> as core::ops::index::Index<I>>::index");
}

TEST(SymbolName, ReturnTypesOfFunctionTemplatesGo) {
  EXPECT_EQ(normalize_function_name("char const* ns::parse_type<char>(char const*)"), "ns::parse_type");
  EXPECT_EQ(normalize_function_name("char const* (anonymous namespace)::parse<int>(int)"),
            "(anonymous namespace)::parse");
  EXPECT_EQ(normalize_function_name("std::basic_string<char> ns::operator+(int)"), "ns::operator+");
  EXPECT_EQ(display_function_name("char const* ns::parse_type<char>(char const*)"), "ns::parse_type<char>(char const*)");
  EXPECT_EQ(display_function_name("unsigned long ns::f(int)"), "ns::f(int)");
  EXPECT_EQ(display_function_name("ns::X::operator bool() const"), "ns::X::operator bool() const");
  EXPECT_EQ(display_function_name("devices::ide::Channel::read(unsigned short)"), "devices::ide::Channel::read(unsigned short)");
}

}  // namespace
}  // namespace triage::core
