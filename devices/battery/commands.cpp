// Commands, ACPI notifications and the computed registers.
#include "devices/battery/battery.hpp"
#include "devices/common/planted_bugs.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

namespace devices::battery {

void Battery::run_command(uint8_t command) {
  m_command_status.bits &= static_cast<uint8_t>(~CommandStatus::k_error);
  switch (static_cast<Command>(command)) {
    case Command::refresh:
      refresh_status();
      return;
    case Command::set_history_depth:
      set_history_depth(m_argument);
      return;
    case Command::clear_history:
      m_history_head = 0;
      m_history_count = 0;
      return;
    case Command::select_sample:
      m_history_cursor = m_argument;
      return;
    case Command::learn_cycle:
      m_last_full_charge_capacity = m_remaining_capacity;
      m_cycle_count =
          m_cycle_count == std::numeric_limits<uint32_t>::max() ? m_cycle_count : m_cycle_count + 1;
      return;
  }
  m_command_status.bits |= CommandStatus::k_error;
}

[[gnu::noinline]] void Battery::refresh_status() {
  BatteryStatus status{0};
  const bool ac_online = (m_control.bits & PowerUnit::k_ac_online) != 0;
  if (!ac_online) {
    status.bits |= BatteryStatus::k_discharging;
  } else if ((m_control.bits & PowerUnit::k_charge_inhibit) == 0 &&
             m_remaining_capacity < m_last_full_charge_capacity) {
    status.bits |= BatteryStatus::k_charging;
  }
  if (m_remaining_capacity <= m_low_capacity) {
    status.bits |= BatteryStatus::k_critical;
  }
  m_status = status;
  // Notify(BAT0, 0x80) so the OSPM re-reads _BST.
  if (bug_fixed("BAT-01")) {
    delete m_pending_notification;
  }
  // PLANTED BUG BAT-01: a refresh while a notification is pending overwrites the pointer, leaking the record.
  m_pending_notification = new Notification{
      .code = k_notify_status_changed,
      .status = status,
      .remaining_capacity = m_remaining_capacity,
      .sequence = ++m_notification_sequence,
  };
}

void Battery::acknowledge_notification() {
  delete m_pending_notification;
  m_pending_notification = nullptr;
}

[[gnu::noinline]] void Battery::set_history_depth(uint32_t depth) {
  // Drop the old history first so a resize never holds two buffers.
  m_history.reset();
  if (bug_fixed("BAT-02")) {
    depth = std::min<uint32_t>(depth, 1024);
  }
  // PLANTED BUG BAT-02: the guest's 32-bit depth times the sample size sizes the buffer unchecked (GiBs).
  const uint32_t bytes = depth * static_cast<uint32_t>(k_sample_bytes);
  m_history.reset(new uint8_t[bytes]);
  m_history_capacity = static_cast<uint32_t>(bytes / k_sample_bytes);
  m_history_head = 0;
  m_history_count = 0;
  m_history_cursor = 0;
}

[[gnu::noinline]] uint32_t Battery::time_remaining_minutes() const {
  if ((m_status.bits & BatteryStatus::k_discharging) == 0) {
    return std::numeric_limits<uint32_t>::max();  // ACPI "unknown"
  }
  if (bug_fixed("BAT-03") && m_present_rate == 0) {
    return std::numeric_limits<uint32_t>::max();
  }
  // PLANTED BUG BAT-03: the guest-writable present rate is not checked for 0 before dividing by it.
  const uint64_t minutes = (uint64_t{m_remaining_capacity} * 60u) / m_present_rate;
  return static_cast<uint32_t>(std::min<uint64_t>(minutes, std::numeric_limits<uint32_t>::max()));
}

uint32_t Battery::history_sample_capacity(uint32_t cursor) const {
  if (m_history_count == 0 || m_history_capacity == 0) {
    return 0;
  }
  const uint64_t oldest =
      (uint64_t{m_history_head} + m_history_capacity - m_history_count) % m_history_capacity;
  const uint64_t slot = (oldest + cursor % m_history_count) % m_history_capacity;
  HistorySample sample{};
  std::memcpy(&sample, &m_history[slot * k_sample_bytes], k_sample_bytes);
  return sample.remaining_capacity;
}

}  // namespace devices::battery
