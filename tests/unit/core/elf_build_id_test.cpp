#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <string>

#include "triage/core/elf_build_id.hpp"

namespace triage::core {
namespace {

template <typename T>
void put(std::string& bytes, size_t offset, T v) {
  if (bytes.size() < offset + sizeof v) {
    bytes.resize(offset + sizeof v, '\0');
  }
  std::memcpy(bytes.data() + offset, &v, sizeof v);
}

/// A 64-bit little-endian ELF header, one PT_NOTE program header at 64, and `notes` at 120.
std::string elf_with_notes(const std::string& notes) {
  std::string b(120, '\0');
  std::memcpy(b.data(), "\x7f" "ELF\x02\x01\x01", 7);
  put<uint64_t>(b, 0x20, 64);  // e_phoff
  put<uint16_t>(b, 0x36, 56);  // e_phentsize
  put<uint16_t>(b, 0x38, 1);   // e_phnum
  put<uint32_t>(b, 64, 4);     // PT_NOTE
  put<uint64_t>(b, 64 + 8, 120);
  put<uint64_t>(b, 64 + 32, notes.size());
  return b + notes;
}

std::string note(uint32_t type, const std::string& name, const std::string& desc) {
  std::string n;
  put<uint32_t>(n, 0, static_cast<uint32_t>(name.size()));
  put<uint32_t>(n, 4, static_cast<uint32_t>(desc.size()));
  put<uint32_t>(n, 8, type);
  n += name;
  n.resize((n.size() + 3) & ~size_t{3}, '\0');
  n += desc;
  n.resize((n.size() + 3) & ~size_t{3}, '\0');
  return n;
}

TEST(ElfBuildId, ReadsTheGnuBuildIdNoteAfterOthers) {
  const std::string notes = note(1, std::string("GNU\0", 4), "ABI-tag.") +
                            note(3, std::string("GNU\0", 4), std::string("\xde\xad\xbe\xef\x01", 5));
  EXPECT_EQ(elf_build_id_from(elf_with_notes(notes)), "deadbeef01");
}

TEST(ElfBuildId, NoneWithoutTheNoteOrForOtherFiles) {
  EXPECT_FALSE(elf_build_id_from(elf_with_notes(note(1, std::string("GNU\0", 4), "ABI-tag."))).has_value());
  EXPECT_FALSE(elf_build_id_from(elf_with_notes(note(3, std::string("Go\0\0", 4), "abcd"))).has_value());
  EXPECT_FALSE(elf_build_id_from("#!/bin/sh\necho not an ELF file\n").has_value());
  EXPECT_FALSE(elf_build_id_from("").has_value());
  // A note that claims more bytes than there are.
  std::string truncated = note(3, std::string("GNU\0", 4), "abcdefgh");
  truncated.resize(truncated.size() - 4);
  EXPECT_FALSE(elf_build_id_from(elf_with_notes(truncated)).has_value());
}

TEST(ElfBuildId, ReadsARealBinaryFromDisk) {
  // This test program, as the linker wrote it: 20 bytes of SHA-1 unless the toolchain changes it.
  const auto id = elf_build_id("/proc/self/exe");
  ASSERT_TRUE(id.has_value());
  EXPECT_EQ(id->size(), 40u);
  EXPECT_EQ(id->find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_FALSE(elf_build_id("/nonexistent/binary").has_value());
}

}  // namespace
}  // namespace triage::core
