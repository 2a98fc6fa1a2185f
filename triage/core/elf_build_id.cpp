#include "triage/core/elf_build_id.hpp"

#include <cstdint>
#include <cstring>
#include <fstream>
#include <functional>

#include <fmt/format.h>

namespace triage::core {
namespace {

constexpr uint32_t k_pt_note = 4;
constexpr uint32_t k_nt_gnu_build_id = 3;
constexpr size_t k_head_bytes = 64 * 1024;

template <typename T>
std::optional<T> load(std::string_view bytes, uint64_t offset) {
  if (offset > bytes.size() || bytes.size() - offset < sizeof(T)) {
    return std::nullopt;
  }
  T v;
  std::memcpy(&v, bytes.data() + offset, sizeof(T));
  return v;
}

uint64_t align4(uint64_t n) { return (n + 3) & ~uint64_t{3}; }

std::optional<std::string> build_id_in_notes(std::string_view notes) {
  uint64_t at = 0;
  while (at + 12 <= notes.size()) {
    const uint32_t namesz = *load<uint32_t>(notes, at);
    const uint32_t descsz = *load<uint32_t>(notes, at + 4);
    const uint32_t type = *load<uint32_t>(notes, at + 8);
    const uint64_t name_at = at + 12;
    const uint64_t desc_at = name_at + align4(namesz);
    if (desc_at > notes.size() || notes.size() - desc_at < descsz) {
      return std::nullopt;
    }
    if (type == k_nt_gnu_build_id && namesz == 4 && notes.substr(name_at, 4) == std::string_view("GNU\0", 4) &&
        descsz > 0) {
      std::string hex;
      for (unsigned char c : notes.substr(desc_at, descsz)) {
        hex += fmt::format("{:02x}", c);
      }
      return hex;
    }
    at = desc_at + align4(descsz);
  }
  return std::nullopt;
}

/// Program headers of a 64-bit little-endian ELF: (offset, size) of each PT_NOTE segment.
std::optional<std::string> scan(std::string_view head, const std::function<std::string(uint64_t, uint64_t)>& read) {
  if (head.size() < 64 || head.substr(0, 4) != "\x7f" "ELF" || head[4] != 2 || head[5] != 1) {
    return std::nullopt;
  }
  const uint64_t phoff = *load<uint64_t>(head, 0x20);
  const uint16_t phentsize = *load<uint16_t>(head, 0x36);
  const uint16_t phnum = *load<uint16_t>(head, 0x38);
  if (phentsize < 56) {
    return std::nullopt;
  }
  const std::string table = read(phoff, uint64_t{phentsize} * phnum);
  for (uint16_t i = 0; i < phnum; ++i) {
    const uint64_t ph = uint64_t{i} * phentsize;
    const auto type = load<uint32_t>(table, ph);
    const auto offset = load<uint64_t>(table, ph + 8);
    const auto size = load<uint64_t>(table, ph + 32);
    if (!type || !offset || !size || *type != k_pt_note || *size > (1u << 20)) {
      continue;
    }
    if (auto id = build_id_in_notes(read(*offset, *size))) {
      return id;
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> elf_build_id_from(std::string_view head) {
  return scan(head, [&](uint64_t offset, uint64_t size) {
    return offset < head.size() ? std::string(head.substr(offset, size)) : std::string();
  });
}

std::optional<std::string> elf_build_id(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::string head(k_head_bytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  in.clear();
  return scan(head, [&](uint64_t offset, uint64_t size) {
    if (offset + size <= head.size()) {
      return head.substr(offset, size);
    }
    std::string out(size, '\0');
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(out.data(), static_cast<std::streamsize>(size));
    out.resize(static_cast<size_t>(in.gcount()));
    in.clear();
    return out;
  });
}

}  // namespace triage::core
