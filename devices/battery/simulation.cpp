// The charge model and history sampling, one step per simulated second.
#include "devices/battery/battery.hpp"

#include <algorithm>
#include <cstring>

namespace devices::battery {

namespace {

constexpr uint64_t k_seconds_per_hour = 3600;

}  // namespace

void Battery::tick(uint64_t ticks) {
  uint64_t seconds = ticks / k_ticks_per_second;
  m_second_phase += ticks % k_ticks_per_second;
  if (m_second_phase >= k_ticks_per_second) {
    m_second_phase -= k_ticks_per_second;
    ++seconds;
  }
  for (uint64_t i = 0; i < std::min(seconds, k_max_catch_up_seconds); ++i) {
    simulate_second();
  }
}

void Battery::simulate_second() {
  // The cell moves charge at the present rate while the last refresh said it (dis)charges:
  // rate mA (mW) for one second is rate/3600 mAh (mWh), accumulated so small rates still count.
  const uint8_t flowing = BatteryStatus::k_discharging | BatteryStatus::k_charging;
  if ((m_status.bits & flowing) != 0) {
    m_energy_mws += m_present_rate;
    const uint64_t delta = m_energy_mws / k_seconds_per_hour;
    m_energy_mws %= k_seconds_per_hour;
    if ((m_status.bits & BatteryStatus::k_discharging) != 0) {
      m_remaining_capacity =
          static_cast<uint32_t>(m_remaining_capacity > delta ? m_remaining_capacity - delta : 0);
    } else if (m_remaining_capacity < m_last_full_charge_capacity) {
      m_remaining_capacity = static_cast<uint32_t>(
          std::min<uint64_t>(m_last_full_charge_capacity, m_remaining_capacity + delta));
    }
  }
  if ((m_control.bits & PowerUnit::k_sampling) != 0 && m_history_capacity != 0) {
    record_sample();
  }
}

void Battery::record_sample() {
  const HistorySample sample{
      .remaining_capacity = m_remaining_capacity,
      .present_rate = m_present_rate,
      .present_voltage = m_present_voltage,
      .status = m_status.bits,
      .reserved = {},
  };
  const uint64_t slot = m_history_head % m_history_capacity;
  std::memcpy(&m_history[slot * k_sample_bytes], &sample, k_sample_bytes);
  m_history_head = static_cast<uint32_t>((slot + 1) % m_history_capacity);
  m_history_count = std::min(m_history_count + 1, m_history_capacity);
}

}  // namespace devices::battery
