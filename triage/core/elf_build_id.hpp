#pragma once
// The GNU build ID of an ELF file (the linker's hash of its contents, in a PT_NOTE segment): names a
// binary build without reading the whole file, as `file`, debuginfod and the sanitizers' reports do.
#include <optional>
#include <string>
#include <string_view>

namespace triage::core {

/// The build ID in hex from an ELF file's bytes (at least its headers and notes); nullopt when it is
/// not a 64-bit little-endian ELF or has no NT_GNU_BUILD_ID note.
std::optional<std::string> elf_build_id_from(std::string_view head);

/// Reads what it needs of `path` (the first 64 KB, where linkers put the notes; the notes themselves
/// when they lie further).
std::optional<std::string> elf_build_id(const std::string& path);

}  // namespace triage::core
