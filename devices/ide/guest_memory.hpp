#pragma once
// The guest's RAM as the bus master sees it: 64 KiB, physical address = offset.
#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

namespace devices::ide {

struct GuestMemory {
  static constexpr uint32_t k_size = 64 * 1024;

  std::vector<uint8_t> bytes = std::vector<uint8_t>(k_size);

  uint32_t size() const { return static_cast<uint32_t>(bytes.size()); }

  /// Reads `out.size()` bytes at `address`; false (and nothing read) if the range is not all RAM.
  bool read(uint32_t address, std::span<uint8_t> out) const {
    if (uint64_t{address} + out.size() > bytes.size()) {
      return false;
    }
    std::copy_n(bytes.begin() + address, out.size(), out.begin());
    return true;
  }

  /// A CPU-side store (the harness stands in for the guest): the offset wraps modulo the RAM size and
  /// the data is cut at the end of RAM.
  void store_clamped(uint32_t offset, std::span<const uint8_t> data) {
    const uint32_t at = offset % size();
    const size_t count = std::min<size_t>(data.size(), size() - at);
    std::copy_n(data.begin(), count, bytes.begin() + at);
  }
};

}  // namespace devices::ide
