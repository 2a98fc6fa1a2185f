#pragma once
// An ACPI control-method battery as a platform device at ports 0x400-0x40F: firmware's _BST/_BIF
// methods read its register file, and the platform model (here the guest itself) may write it.
//
// Port layout (all byte ports; wider accesses act as consecutive byte accesses):
//   0x400       INDEX    selects a register of the file below for DATA
//   0x401       CONTROL  PowerUnit: unit, AC online, charge inhibit, history sampling
//   0x402       STATUS   BatteryStatus as of the last refresh (read-only)
//   0x403       NOTIFY   read: pending notification code (0 = none); write: acknowledge it
//   0x404-0x407 DATA     the selected 32-bit register, little endian, one byte lane per port
//   0x408       COMMAND  write: run a command (Command below); read: CommandStatus
//   0x409       reserved (reads 0)
//   0x40A-0x40B TIME     estimated runtime in minutes (_BTM), 16-bit, 0xFFFF = unknown (read-only);
//                        the same value as register time_remaining, for firmware's fast path
//   0x40C-0x40F ARG      32-bit command argument, little endian
//
// Split by concept: battery.cpp holds port and register access, commands.cpp the commands and
// notifications, simulation.cpp the charge model and history sampling driven by tick().
#include "devices/battery/battery_state.hpp"
#include "devices/battery/registers.hpp"
#include "devices/common/io_device.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace devices::battery {

/// The register file behind INDEX/DATA, in ACPI order: the _BST fields, _BTM's runtime estimate,
/// the _BIF fields, then the history.
enum class BatteryRegister : uint8_t {
  present_rate = 0x00,
  remaining_capacity = 0x01,
  present_voltage = 0x02,
  time_remaining = 0x03,  ///< read-only, minutes at the present rate (0xFFFFFFFF unless discharging)
  design_capacity = 0x04,
  last_full_charge_capacity = 0x05,
  design_voltage = 0x06,
  warning_capacity = 0x07,
  low_capacity = 0x08,
  cycle_count = 0x09,
  history_depth = 0x0a,   ///< read-only, samples the history buffer holds
  history_count = 0x0b,   ///< read-only, samples recorded
  history_sample = 0x0c,  ///< read-only, remaining capacity in the sample ARG-selected by select_sample
};
inline constexpr uint8_t k_register_count = 0x0d;

/// Computed registers; DATA writes to them are ignored.
constexpr bool is_read_only(BatteryRegister reg) {
  return reg == BatteryRegister::time_remaining || reg == BatteryRegister::history_depth ||
         reg == BatteryRegister::history_count || reg == BatteryRegister::history_sample;
}

enum class Command : uint8_t {
  refresh = 0x01,            ///< re-evaluate the status and notify the OSPM
  set_history_depth = 0x02,  ///< ARG = number of samples to keep
  clear_history = 0x03,
  select_sample = 0x04,  ///< ARG = sample index for history_sample, oldest first
  learn_cycle = 0x05,    ///< calibration: last full charge := remaining, one more cycle
};

class Battery final : public IoDevice {
 public:
  static constexpr uint16_t k_base_port = 0x400;
  static constexpr uint16_t k_port_count = 16;
  static constexpr uint8_t k_index_port = 0x0;
  static constexpr uint8_t k_control_port = 0x1;
  static constexpr uint8_t k_status_port = 0x2;
  static constexpr uint8_t k_notify_port = 0x3;
  static constexpr uint8_t k_data_port = 0x4;  ///< first of four byte lanes
  static constexpr uint8_t k_command_port = 0x8;
  static constexpr uint8_t k_time_port = 0xa;  ///< first of two byte lanes
  static constexpr uint8_t k_arg_port = 0xc;   ///< first of four byte lanes
  static constexpr uint64_t k_ticks_per_second = 1'000'000;
  /// Longest stretch of simulated seconds one tick() replays; beyond that the model skips ahead.
  static constexpr uint64_t k_max_catch_up_seconds = 3600;

  Battery();
  ~Battery() override;
  Battery(const Battery&) = delete;
  Battery& operator=(const Battery&) = delete;

  std::string_view name() const override { return "acpi_battery"; }
  std::span<const PortRange> port_ranges() const override;
  uint32_t io_read(uint16_t port, AccessWidth width) override;
  void io_write(uint16_t port, AccessWidth width, uint32_t value) override;
  /// Platform reset: the register interface, pending notification and history restart; the cell
  /// itself (capacities, cycle count) is physical and keeps its charge.
  void reset() override;
  void tick(uint64_t ticks) override;

  /// The SCI line: raised while a notification waits for acknowledgement.
  bool sci_asserted() const { return m_pending_notification != nullptr; }

 private:
  uint8_t read_port(uint8_t offset);
  void write_port(uint8_t offset, uint8_t value);
  uint32_t read_register(uint8_t index);
  void write_register(uint8_t index, uint32_t value);

  // commands.cpp
  void run_command(uint8_t command);
  void refresh_status();
  void set_history_depth(uint32_t depth);
  void acknowledge_notification();
  uint32_t time_remaining_minutes() const;
  uint32_t history_sample_capacity(uint32_t cursor) const;

  // simulation.cpp
  void simulate_second();
  void record_sample();

  uint8_t m_index = 0;
  PowerUnit m_control{0};
  BatteryStatus m_status{0};
  CommandStatus m_command_status{0};
  uint32_t m_argument = 0;

  // A 3-cell notebook pack idling on battery, reported in mAh / mA (PowerUnit::k_unit_ma).
  uint32_t m_remaining_capacity = 3'150;  ///< mAh (mWh with the unit bit clear)
  uint32_t m_present_rate = 220;          ///< mA (mW)
  uint32_t m_present_voltage = 11'400;    ///< mV
  uint32_t m_design_capacity = 4'400;
  uint32_t m_last_full_charge_capacity = 4'200;
  uint32_t m_cycle_count = 42;
  uint32_t m_design_voltage = 11'100;
  uint32_t m_warning_capacity = 420;
  uint32_t m_low_capacity = 150;

  /// Raw HistorySample records, k_sample_bytes each, used as a ring. Not zeroed: only slots
  /// already recorded are ever read back.
  std::unique_ptr<uint8_t[]> m_history;
  uint32_t m_history_capacity = 0;  ///< samples that fit in m_history
  uint32_t m_history_head = 0;      ///< next slot to write
  uint32_t m_history_count = 0;
  uint32_t m_history_cursor = 0;

  /// Owned; null when nothing is pending. Deleted on acknowledge, reset and destruction.
  Notification* m_pending_notification = nullptr;
  uint64_t m_notification_sequence = 0;

  uint64_t m_second_phase = 0;  ///< ticks into the current simulated second
  uint64_t m_energy_mws = 0;    ///< charge moved towards the next whole unit, in unit-seconds
};

}  // namespace devices::battery
