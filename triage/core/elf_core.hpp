#pragma once
// ELF core files, read before LLDB sees them: is it a core at all, is it complete (a core cut short by a
// full disk or a size limit loads in LLDB with missing memory and misleading values), and which program
// dumped it (NT_PRPSINFO's command name, NT_FILE's mapped files), so a core is never analysed against
// the wrong binary. Also the signal and fault address from NT_SIGINFO.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "triage/core/error.hpp"

namespace triage::core {

struct ElfCoreInfo {
  uint64_t file_size = 0;
  uint64_t expected_size = 0;       ///< end of the last segment's file data
  std::string command;              ///< NT_PRPSINFO pr_fname (at most 15 characters)
  std::vector<std::string> mapped;  ///< NT_FILE paths, in order (the executable first)
  std::optional<int> signal;        ///< NT_SIGINFO si_signo
  std::optional<uint64_t> fault_address;  ///< NT_SIGINFO si_addr for SIGSEGV/SIGBUS/SIGFPE/SIGILL
  size_t threads = 0;               ///< NT_PRSTATUS notes
};

/// Reads `n` bytes at `offset` into `out`; false when the file is shorter.
using ReadAt = std::function<bool(uint64_t offset, size_t n, std::string& out)>;

/// Parses a 64-bit little-endian ELF core (x86-64, AArch64). Errors: core_invalid for anything that is
/// not such a core, or that is truncated.
Result<ElfCoreInfo> parse_elf_core(const ReadAt& read, uint64_t file_size, const std::string& name);

/// Opens a file and parses it as above.
Result<ElfCoreInfo> read_elf_core(const std::string& path);

/// core_mismatch when the core was dumped by another program than `binary_path`: neither a mapped file
/// nor the command name matches the binary's file name.
Result<void> check_core_matches(const ElfCoreInfo& core, const std::string& binary_path, const std::string& core_name);

}  // namespace triage::core
