// ELF core checks on cores built in memory: notes parsed, truncation, non-cores, the wrong binary.
#include <gtest/gtest.h>

#include <elf.h>

#include <cstring>

#include "triage/core/elf_core.hpp"

namespace triage::core {
namespace {

void put(std::string& out, const void* p, size_t n) { out.append(static_cast<const char*>(p), n); }

std::string note(uint32_t type, const std::string& desc) {
  std::string n;
  const uint32_t namesz = 5;
  const auto descsz = static_cast<uint32_t>(desc.size());
  put(n, &namesz, 4);
  put(n, &descsz, 4);
  put(n, &type, 4);
  n += std::string("CORE\0\0\0\0", 8);
  n += desc;
  n.resize((n.size() + 3) & ~size_t{3}, '\0');
  return n;
}

/// A core: header, one PT_NOTE and one PT_LOAD of `load_bytes` bytes.
std::string make_core(const std::string& command, const std::vector<std::string>& files, int signo, uint64_t addr,
                      size_t load_bytes = 64, uint16_t type = ET_CORE) {
  std::string notes;
  notes += note(NT_PRSTATUS, std::string(336, '\0'));
  std::string prpsinfo(136, '\0');
  std::memcpy(prpsinfo.data() + 40, command.data(), std::min<size_t>(command.size(), 16));
  notes += note(NT_PRPSINFO, prpsinfo);
  std::string siginfo(128, '\0');
  std::memcpy(siginfo.data(), &signo, 4);
  std::memcpy(siginfo.data() + 16, &addr, 8);
  notes += note(NT_SIGINFO, siginfo);
  std::string nt_file;
  const uint64_t count = files.size();
  const uint64_t page = 4096;
  put(nt_file, &count, 8);
  put(nt_file, &page, 8);
  for (uint64_t i = 0; i < count; ++i) {
    const uint64_t triple[3] = {0x1000 * (i + 1), 0x1000 * (i + 2), 0};
    put(nt_file, triple, 24);
  }
  for (const auto& f : files) {
    nt_file += f;
    nt_file += '\0';
  }
  notes += note(0x46494c45, nt_file);

  Elf64_Ehdr eh{};
  std::memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS64;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_ident[EI_VERSION] = EV_CURRENT;
  eh.e_type = type;
  eh.e_machine = EM_X86_64;
  eh.e_phoff = sizeof(Elf64_Ehdr);
  eh.e_phentsize = sizeof(Elf64_Phdr);
  eh.e_phnum = 2;
  Elf64_Phdr ph_note{};
  ph_note.p_type = PT_NOTE;
  ph_note.p_offset = sizeof(Elf64_Ehdr) + 2 * sizeof(Elf64_Phdr);
  ph_note.p_filesz = notes.size();
  Elf64_Phdr ph_load{};
  ph_load.p_type = PT_LOAD;
  ph_load.p_offset = ph_note.p_offset + notes.size();
  ph_load.p_filesz = load_bytes;
  std::string core;
  put(core, &eh, sizeof eh);
  put(core, &ph_note, sizeof ph_note);
  put(core, &ph_load, sizeof ph_load);
  core += notes;
  core += std::string(load_bytes, 'x');
  return core;
}

Result<ElfCoreInfo> parse(const std::string& bytes, uint64_t claimed_size = 0) {
  const uint64_t size = claimed_size != 0 ? claimed_size : bytes.size();
  auto read = [&](uint64_t off, size_t n, std::string& out) {
    if (off > size || n > size - off) {
      return false;
    }
    out = bytes.substr(off, n);
    return true;
  };
  return parse_elf_core(read, size, "test.core");
}

TEST(ElfCore, NotesGiveCommandMappedFilesSignalAndFaultAddress) {
  const auto info = parse(make_core("fuzz_ide", {"/build/bin/fuzz_ide", "/usr/lib/libc.so.6"}, 11, 0x10));
  ASSERT_TRUE(info) << info.error().message;
  EXPECT_EQ(info->command, "fuzz_ide");
  ASSERT_EQ(info->mapped.size(), 2u);
  EXPECT_EQ(info->mapped[0], "/build/bin/fuzz_ide");
  EXPECT_EQ(info->signal, 11);
  EXPECT_EQ(info->fault_address, 0x10u);
  EXPECT_EQ(info->threads, 1u);
  // SIGABRT has no fault address.
  const auto abrt = parse(make_core("fuzz_ide", {}, 6, 0x1234));
  ASSERT_TRUE(abrt);
  EXPECT_FALSE(abrt->fault_address.has_value());
}

TEST(ElfCore, TruncatedCoreSaysHowMuchIsThere) {
  const std::string full = make_core("fuzz_ide", {"/b/fuzz_ide"}, 6, 0, 100000);
  const auto cut = parse(full.substr(0, full.size() / 2));
  ASSERT_FALSE(cut);
  EXPECT_EQ(cut.error().code, ErrorCode::core_invalid);
  EXPECT_NE(cut.error().message.find("truncated core: "), std::string::npos) << cut.error().message;
  EXPECT_NE(cut.error().message.find(std::to_string(full.size())), std::string::npos) << cut.error().message;
}

TEST(ElfCore, NonCoresAreRejectedWithTheReason) {
  auto r = parse("#!/bin/sh\necho not elf\n" + std::string(64, ' '));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("not an ELF file"), std::string::npos);
  r = parse(make_core("x", {}, 6, 0, 64, ET_EXEC));
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("an ELF program, not a core file"), std::string::npos);
  r = parse("");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("empty file"), std::string::npos);
}

TEST(ElfCore, MatchesTheBinaryByMappedFileOrCommandName) {
  const auto info = parse(make_core("fuzz_ide", {"/old/tree/bin/fuzz_ide", "/lib/libc.so.6"}, 11, 0));
  ASSERT_TRUE(info);
  EXPECT_TRUE(check_core_matches(*info, "/new/tree/bin/fuzz_ide", "c"));  // moved build tree
  const auto other = check_core_matches(*info, "/new/tree/bin/fuzz_rtc", "c");
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::core_mismatch);
  EXPECT_EQ(other.error().message, "c was dumped by /old/tree/bin/fuzz_ide, not by /new/tree/bin/fuzz_rtc");
  // The -O0 build is another program.
  EXPECT_FALSE(check_core_matches(*info, "/new/tree/bin/fuzz_ide_dev", "c"));
  // pr_fname keeps 15 characters of a longer name.
  const auto long_name = parse(make_core("fuzz_chipset_de", {}, 11, 0));
  ASSERT_TRUE(long_name);
  EXPECT_TRUE(check_core_matches(*long_name, "/b/fuzz_chipset_dev", "c"));
}

}  // namespace
}  // namespace triage::core
