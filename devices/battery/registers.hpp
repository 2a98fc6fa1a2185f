#pragma once
// Battery byte registers as a debugger sees them: one-byte newtypes holding the raw bits (like
// OpenVMM's Rust bitfield newtypes). The mask constants are the ones the device code uses;
// register_constants() exports them for the schema test.
#include <cstdint>

namespace devices::battery {

/// STATUS (port 0x402): the ACPI _BST "battery state" bits as of the last refresh.
struct BatteryStatus {
  uint8_t bits;

  static constexpr uint8_t k_discharging = 0x01;
  static constexpr uint8_t k_charging = 0x02;
  static constexpr uint8_t k_critical = 0x04;
};

/// CONTROL (port 0x401): the power unit the capacities are reported in and the platform inputs.
struct PowerUnit {
  uint8_t bits;

  static constexpr uint8_t k_unit_ma = 0x01;         ///< capacities in mAh and rates in mA; clear = mWh / mW
  static constexpr uint8_t k_ac_online = 0x02;       ///< the charger is plugged in
  static constexpr uint8_t k_charge_inhibit = 0x04;  ///< AC powers the machine but does not charge
  static constexpr uint8_t k_sampling = 0x08;        ///< take a history sample every second
};

/// COMMAND (port 0x408, read): outcome of the last command and the notification line.
struct CommandStatus {
  uint8_t bits;

  static constexpr uint8_t k_error = 0x01;   ///< the last command was unknown or rejected
  static constexpr uint8_t k_notify = 0x02;  ///< a notification waits for acknowledgement
};

}  // namespace devices::battery
