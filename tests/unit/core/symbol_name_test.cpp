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

}  // namespace
}  // namespace triage::core
