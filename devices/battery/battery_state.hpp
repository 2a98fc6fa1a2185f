#pragma once
// Plain records the battery keeps besides its registers: the pending ACPI notification and the
// history samples.
#include "devices/battery/registers.hpp"

#include <cstddef>
#include <cstdint>

namespace devices::battery {

/// ACPI Notify() code for a control-method battery whose status changed (re-evaluate _BST).
inline constexpr uint8_t k_notify_status_changed = 0x80;

/// A notification raised towards the guest's OSPM, alive until the guest acknowledges it.
struct Notification {
  uint8_t code = 0;
  BatteryStatus status{0};
  uint32_t remaining_capacity = 0;
  uint64_t sequence = 0;  ///< increases with every notification raised
};

/// One history record as the guest reads it back (the buffer is a byte array of these).
struct HistorySample {
  uint32_t remaining_capacity;
  uint32_t present_rate;
  uint32_t present_voltage;
  uint8_t status;
  uint8_t reserved[3];
};
inline constexpr size_t k_sample_bytes = sizeof(HistorySample);
static_assert(k_sample_bytes == 16);

}  // namespace devices::battery
