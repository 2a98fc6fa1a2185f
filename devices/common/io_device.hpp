#pragma once
// The small interface every emulated device implements: port I/O (or MMIO, same shape) with an
// access width, reset, and tick. Guest input arriving here is untrusted.
#include <cstdint>
#include <span>
#include <string_view>

namespace devices {

enum class AccessWidth : uint8_t { byte = 1, word = 2, dword = 4 };

/// A contiguous range of ports claimed by a device: [base, base + count).
struct PortRange {
  uint16_t base;
  uint16_t count;
};

class IoDevice {
 public:
  virtual ~IoDevice() = default;
  virtual std::string_view name() const = 0;
  virtual std::span<const PortRange> port_ranges() const = 0;
  virtual uint32_t io_read(uint16_t port, AccessWidth width) = 0;
  virtual void io_write(uint16_t port, AccessWidth width, uint32_t value) = 0;
  virtual void reset() = 0;
  /// Advances device time by `ticks` (1 tick = 1 microsecond of guest time).
  virtual void tick(uint64_t ticks) = 0;
};

/// Masks a value to an access width.
constexpr uint32_t mask_to_width(uint32_t value, AccessWidth width) {
  switch (width) {
    case AccessWidth::byte:
      return value & 0xffu;
    case AccessWidth::word:
      return value & 0xffffu;
    case AccessWidth::dword:
      return value;
  }
  return value;
}

}  // namespace devices
