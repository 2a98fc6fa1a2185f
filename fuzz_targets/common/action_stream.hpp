#pragma once
// Decodes a fuzz input into a sequence of device actions, one opcode byte then its operands, in the
// spirit of OpenVMM's chipset_device_fuzz `FuzzAction`: every byte drives behaviour, every value is
// taken modulo its range, and running out of bytes simply ends the stream. Deterministic, no I/O.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "devices/common/io_device.hpp"

namespace fuzz_targets {

enum class ActionKind : uint8_t {
  read,          ///< port read: [op][port index][width]
  write,         ///< port write: [op][port index][width][value: 1, 2 or 4 bytes, little endian]
  reset,         ///< device reset: [op]
  tick,          ///< advance time: [op][ticks: 2 bytes] (microseconds)
  memory_write,  ///< guest memory write: [op][offset: 2 bytes][value: 4 bytes]
};
inline constexpr unsigned k_action_kind_count = 5;

struct Action {
  ActionKind kind = ActionKind::read;
  uint8_t port_index = 0;  ///< index into the harness's port table, taken modulo its size
  devices::AccessWidth width = devices::AccessWidth::byte;
  uint32_t value = 0;
  uint32_t offset = 0;  ///< memory_write: byte offset into guest memory (modulo its size)
};

/// Maps any byte to an access width (1, 2 or 4 bytes).
constexpr devices::AccessWidth width_from_byte(uint8_t b) {
  switch (b % 3) {
    case 0:
      return devices::AccessWidth::byte;
    case 1:
      return devices::AccessWidth::word;
    default:
      return devices::AccessWidth::dword;
  }
}

class ActionStream {
 public:
  explicit ActionStream(std::span<const uint8_t> data) : m_data(data) {}

  bool empty() const { return m_pos >= m_data.size(); }
  size_t remaining() const { return m_data.size() - m_pos; }
  size_t decoded() const { return m_decoded; }

  /// Takes one byte (0 when exhausted).
  uint8_t take_byte() { return m_pos < m_data.size() ? m_data[m_pos++] : 0; }

  /// Takes `n` (<= 4) bytes as a little-endian value; missing bytes read as zero.
  uint32_t take_le(unsigned n) {
    uint32_t v = 0;
    for (unsigned i = 0; i < n; ++i) {
      v |= static_cast<uint32_t>(take_byte()) << (8 * i);
    }
    return v;
  }

  /// The next action, or nullopt when the input is exhausted.
  std::optional<Action> next() {
    if (empty()) {
      return std::nullopt;
    }
    ++m_decoded;
    Action a;
    a.kind = static_cast<ActionKind>(take_byte() % k_action_kind_count);
    switch (a.kind) {
      case ActionKind::read:
        a.port_index = take_byte();
        a.width = width_from_byte(take_byte());
        break;
      case ActionKind::write:
        a.port_index = take_byte();
        a.width = width_from_byte(take_byte());
        a.value = take_le(static_cast<unsigned>(a.width));
        break;
      case ActionKind::reset:
        break;
      case ActionKind::tick:
        a.value = take_le(2);
        break;
      case ActionKind::memory_write:
        a.offset = take_le(2);
        a.value = take_le(4);
        break;
    }
    return a;
  }

 private:
  std::span<const uint8_t> m_data;
  size_t m_pos = 0;
  size_t m_decoded = 0;  ///< actions decoded so far, the one being run included (triage: "action #N")
};

}  // namespace fuzz_targets
