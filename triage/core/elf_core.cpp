#include "triage/core/elf_core.hpp"

#include <elf.h>

#include <cstring>
#include <fstream>

#include <fmt/format.h>

namespace triage::core {
namespace {

constexpr uint32_t k_nt_file = 0x46494c45;  // NT_FILE, "FILE"
constexpr size_t k_max_notes_bytes = 64u << 20;

template <class T>
T load(const std::string& bytes, size_t offset) {
  T v{};
  if (offset + sizeof(T) <= bytes.size()) {
    std::memcpy(&v, bytes.data() + offset, sizeof(T));
  }
  return v;
}

size_t align4(size_t n) { return (n + 3) & ~size_t{3}; }

std::string basename_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

void parse_nt_file(const std::string& desc, ElfCoreInfo& info) {
  // count, page_size, then count * (start, end, file_offset), then count NUL-terminated names.
  const auto count = load<uint64_t>(desc, 0);
  if (count > desc.size() / 24) {
    return;
  }
  size_t pos = 16 + count * 24;
  for (uint64_t i = 0; i < count && pos < desc.size(); ++i) {
    const size_t end = desc.find('\0', pos);
    const size_t stop = end == std::string::npos ? desc.size() : end;
    info.mapped.push_back(desc.substr(pos, stop - pos));
    pos = stop + 1;
  }
}

void parse_notes(const std::string& notes, ElfCoreInfo& info) {
  size_t pos = 0;
  while (pos + 12 <= notes.size()) {
    const auto namesz = load<uint32_t>(notes, pos);
    const auto descsz = load<uint32_t>(notes, pos + 4);
    const auto type = load<uint32_t>(notes, pos + 8);
    const size_t desc_at = pos + 12 + align4(namesz);
    if (desc_at > notes.size() || descsz > notes.size() - desc_at) {
      return;
    }
    const std::string desc = notes.substr(desc_at, descsz);
    switch (type) {
      case NT_PRSTATUS:
        ++info.threads;
        break;
      case NT_PRPSINFO:
        // struct elf_prpsinfo (64-bit): pr_fname[16] at offset 40.
        if (desc.size() >= 56) {
          info.command = std::string(desc.data() + 40, strnlen(desc.data() + 40, 16));
        }
        break;
      case NT_SIGINFO:
        if (!info.signal && desc.size() >= 24) {
          const int signo = load<int32_t>(desc, 0);
          info.signal = signo;
          if (signo == 11 || signo == 7 || signo == 8 || signo == 4) {
            info.fault_address = load<uint64_t>(desc, 16);
          }
        }
        break;
      case k_nt_file:
        if (info.mapped.empty()) {
          parse_nt_file(desc, info);
        }
        break;
      default:
        break;
    }
    pos = desc_at + align4(descsz);
  }
}

}  // namespace

Result<ElfCoreInfo> parse_elf_core(const ReadAt& read, uint64_t file_size, const std::string& name) {
  auto invalid = [&](const std::string& why) { return make_error(ErrorCode::core_invalid, name + ": " + why); };
  std::string header;
  if (!read(0, sizeof(Elf64_Ehdr), header)) {
    return invalid(file_size == 0 ? "empty file, not a core" : "too short to be an ELF core");
  }
  const auto eh = load<Elf64_Ehdr>(header, 0);
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0) {
    return invalid("not an ELF file, so not a core");
  }
  if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB) {
    return invalid("not a 64-bit little-endian ELF core");
  }
  if (eh.e_type != ET_CORE) {
    return invalid(eh.e_type == ET_EXEC || eh.e_type == ET_DYN ? "an ELF program, not a core file"
                                                                : "an ELF file but not a core");
  }
  if (eh.e_phnum == 0 || eh.e_phnum == PN_XNUM || eh.e_phentsize != sizeof(Elf64_Phdr)) {
    return invalid("core without usable program headers");
  }
  std::string phdrs;
  if (!read(eh.e_phoff, size_t{eh.e_phnum} * sizeof(Elf64_Phdr), phdrs)) {
    return invalid(fmt::format("truncated core: {} bytes, the program headers end past that", file_size));
  }
  ElfCoreInfo info;
  info.file_size = file_size;
  info.expected_size = eh.e_phoff + size_t{eh.e_phnum} * sizeof(Elf64_Phdr);
  std::vector<Elf64_Phdr> notes;
  for (size_t i = 0; i < eh.e_phnum; ++i) {
    const auto ph = load<Elf64_Phdr>(phdrs, i * sizeof(Elf64_Phdr));
    info.expected_size = std::max<uint64_t>(info.expected_size, ph.p_offset + ph.p_filesz);
    if (ph.p_type == PT_NOTE) {
      notes.push_back(ph);
    }
  }
  if (info.expected_size > file_size) {
    return invalid(fmt::format("truncated core: {} of {} bytes ({:.0f}%)", file_size, info.expected_size,
                               100.0 * static_cast<double>(file_size) / static_cast<double>(info.expected_size)));
  }
  for (const auto& ph : notes) {
    if (ph.p_filesz > k_max_notes_bytes) {
      return invalid("core notes larger than 64 MiB");
    }
    std::string bytes;
    if (!read(ph.p_offset, ph.p_filesz, bytes)) {
      return invalid("truncated core: the notes segment is cut short");
    }
    parse_notes(bytes, info);
  }
  if (info.threads == 0) {
    return invalid("core without any thread (no NT_PRSTATUS note)");
  }
  return info;
}

Result<ElfCoreInfo> read_elf_core(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(ErrorCode::core_invalid, "cannot open core file " + path);
  }
  in.seekg(0, std::ios::end);
  const auto size = static_cast<uint64_t>(in.tellg());
  auto read = [&in, size](uint64_t offset, size_t n, std::string& out) {
    if (offset > size || n > size - offset) {
      return false;
    }
    out.resize(n);
    in.clear();
    in.seekg(static_cast<std::streamoff>(offset));
    return static_cast<bool>(in.read(out.data(), static_cast<std::streamsize>(n)));
  };
  return parse_elf_core(read, size, path);
}

Result<void> check_core_matches(const ElfCoreInfo& core, const std::string& binary_path, const std::string& core_name) {
  const std::string want = basename_of(binary_path);
  for (const auto& m : core.mapped) {
    if (basename_of(m) == want) {
      return {};
    }
  }
  // pr_fname is the first 15 characters of the command name.
  if (!core.command.empty() && want.starts_with(core.command) &&
      (core.command.size() >= 15 || core.command == want)) {
    return {};
  }
  if (core.mapped.empty() && core.command.empty()) {
    return {};  // nothing to compare against
  }
  const std::string dumped_by = !core.mapped.empty() ? core.mapped.front() : core.command;
  return make_error(ErrorCode::core_mismatch,
                    fmt::format("{} was dumped by {}, not by {}", core_name, dumped_by, binary_path));
}

}  // namespace triage::core
