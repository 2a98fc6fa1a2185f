#include "triage/cli/inputs.hpp"

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "triage/core/signature.hpp"

namespace triage::cli {

namespace fs = std::filesystem;
using core::ErrorCode;
using core::make_error;

namespace {

/// True when the ELF file has a .symtab section (a fully stripped binary keeps only .dynsym, whose
/// exported runtime symbols cannot name the program's own functions).
bool has_symbol_table(std::ifstream& in) {
  unsigned char ident[16] = {};
  in.seekg(0);
  if (!in.read(reinterpret_cast<char*>(ident), sizeof ident) || ident[4] != 2 /* ELFCLASS64 */ || ident[5] != 1) {
    return true;  // not a 64-bit little-endian ELF: let the debugger judge
  }
  auto read_at = [&in](uint64_t off, void* dst, size_t n) {
    in.seekg(static_cast<std::streamoff>(off));
    return static_cast<bool>(in.read(static_cast<char*>(dst), static_cast<std::streamsize>(n)));
  };
  uint64_t shoff = 0;
  uint16_t shentsize = 0;
  uint16_t shnum = 0;
  uint16_t shstrndx = 0;
  if (!read_at(0x28, &shoff, 8) || !read_at(0x3a, &shentsize, 2) || !read_at(0x3c, &shnum, 2) ||
      !read_at(0x3e, &shstrndx, 2) || shentsize < 64 || shstrndx >= shnum) {
    return true;
  }
  for (uint16_t i = 0; i < shnum; ++i) {
    uint32_t type = 0;
    if (read_at(shoff + uint64_t{i} * shentsize + 4, &type, 4) && type == 2 /* SHT_SYMTAB */) {
      return true;
    }
  }
  return false;
}

/// Why a 64-bit little-endian ELF file cannot be run as a program, or empty when it can: an object
/// file, a core, or a shared library (ET_DYN without a PT_INTERP, where a PIE executable has one).
std::string not_a_program(std::ifstream& in) {
  unsigned char head[64] = {};
  in.clear();
  in.seekg(0);
  if (!in.read(reinterpret_cast<char*>(head), sizeof head) || head[4] != 2 || head[5] != 1) {
    return {};  // not a 64-bit little-endian ELF: let the debugger judge
  }
  uint16_t type = 0;
  uint64_t phoff = 0;
  uint16_t phentsize = 0;
  uint16_t phnum = 0;
  std::memcpy(&type, head + 0x10, 2);
  std::memcpy(&phoff, head + 0x20, 8);
  std::memcpy(&phentsize, head + 0x36, 2);
  std::memcpy(&phnum, head + 0x38, 2);
  switch (type) {
    case 2:  // ET_EXEC
      return {};
    case 1:
      return "an object file (ET_REL)";
    case 4:
      return "a core file";
    case 3:
      break;
    default:
      return fmt::format("an ELF file of type {}", type);
  }
  for (uint16_t i = 0; i < phnum && phentsize >= 4; ++i) {
    uint32_t p_type = 0;
    in.seekg(static_cast<std::streamoff>(phoff + uint64_t{i} * phentsize));
    if (in.read(reinterpret_cast<char*>(&p_type), 4) && p_type == 3 /* PT_INTERP */) {
      return {};
    }
  }
  return "a shared library";
}

}  // namespace

core::Result<void> check_binary(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return make_error(ErrorCode::binary_missing, fmt::format("binary not found: {}", path));
  }
  if (!fs::is_regular_file(path, ec)) {
    return make_error(ErrorCode::binary_not_elf, fmt::format("binary is not a regular file: {}", path));
  }
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  if (!in || !in.read(magic, sizeof magic)) {
    if (!in.is_open()) {
      return make_error(ErrorCode::binary_missing, fmt::format("binary not readable: {}", path));
    }
    return make_error(ErrorCode::binary_not_elf, fmt::format("not an ELF executable (too short): {}", path));
  }
  if (!(magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F')) {
    return make_error(ErrorCode::binary_not_elf, fmt::format("not an ELF executable: {}", path));
  }
  if (access(path.c_str(), X_OK) != 0) {
    return make_error(ErrorCode::binary_not_elf, fmt::format("binary is not executable: {}", path));
  }
  if (const std::string what = not_a_program(in); !what.empty()) {
    return make_error(ErrorCode::binary_not_elf, fmt::format("not an ELF executable ({}): {}", what, path));
  }
  in.clear();
  if (!has_symbol_table(in)) {
    return make_error(ErrorCode::binary_stripped,
                      fmt::format("binary is stripped (no symbol table, only dynamic symbols): {}", path));
  }
  return {};
}

core::Result<core::ArtifactInfo> check_artifact(const std::string& path, uint64_t max_bytes) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return make_error(ErrorCode::artifact_missing, fmt::format("artifact not found: {}", path));
  }
  if (!fs::is_regular_file(path, ec)) {
    return make_error(ErrorCode::artifact_unreadable, fmt::format("artifact is not a regular file: {}", path));
  }
  const uint64_t size = fs::file_size(path, ec);
  if (ec) {
    return make_error(ErrorCode::artifact_unreadable, fmt::format("cannot stat artifact {}: {}", path, ec.message()));
  }
  if (size == 0) {
    return make_error(ErrorCode::artifact_empty, fmt::format("artifact is empty: {}", path));
  }
  if (size > max_bytes) {
    return make_error(ErrorCode::artifact_too_large,
                      fmt::format("artifact is {} bytes, above the {} byte limit (--max-artifact-size): {}", size,
                                  max_bytes, path));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return make_error(ErrorCode::artifact_unreadable, fmt::format("artifact not readable: {}", path));
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (bytes.size() != size) {
    return make_error(ErrorCode::artifact_unreadable, fmt::format("artifact changed while being read: {}", path));
  }
  return core::ArtifactInfo{path, core::sha1_hex(bytes), size};
}

core::Result<core::ArtifactInfo> check_binary_and_artifact(const std::string& binary, const std::string& artifact,
                                                           uint64_t max_bytes) {
  TRIAGE_TRY(check_binary(binary));
  return check_artifact(artifact, max_bytes);
}

}  // namespace triage::cli
