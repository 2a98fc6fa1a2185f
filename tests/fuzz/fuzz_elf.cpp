// ELF core files and build-id notes: a truncated or corrupt core must be an error, never a crash.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "triage/core/elf_build_id.hpp"
#include "triage/core/elf_core.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace triage::core;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)elf_build_id_from(bytes);
  const ReadAt read = [&](uint64_t offset, size_t n, std::string& out) {
    if (offset > size || n > size - offset) {
      return false;
    }
    out.assign(bytes.substr(offset, n));
    return true;
  };
  (void)parse_elf_core(read, size, "fuzz.core");
  return 0;
}
