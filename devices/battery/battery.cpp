#include "devices/battery/battery.hpp"

#include <algorithm>

namespace devices::battery {

namespace {

constexpr std::array<PortRange, 1> k_port_ranges = {{{Battery::k_base_port, Battery::k_port_count}}};

bool claims(uint32_t port) {
  return port >= Battery::k_base_port && port < Battery::k_base_port + Battery::k_port_count;
}

uint8_t lane_of(uint32_t value, unsigned lane) { return static_cast<uint8_t>(value >> (8 * lane)); }

uint32_t with_lane(uint32_t value, unsigned lane, uint8_t byte) {
  const uint32_t shift = 8 * lane;
  return (value & ~(uint32_t{0xff} << shift)) | (uint32_t{byte} << shift);
}

}  // namespace

Battery::Battery() {
  m_control.bits = PowerUnit::k_unit_ma | PowerUnit::k_sampling;
  // Status as firmware would find it at boot: on battery, discharging.
  m_status.bits = BatteryStatus::k_discharging;
}

Battery::~Battery() { delete m_pending_notification; }

std::span<const PortRange> Battery::port_ranges() const { return k_port_ranges; }

uint32_t Battery::io_read(uint16_t port, AccessWidth width) {
  uint32_t value = 0;
  for (unsigned i = 0; i < static_cast<unsigned>(width); ++i) {
    const uint32_t p = uint32_t{port} + i;
    const uint8_t byte = claims(p) ? read_port(static_cast<uint8_t>(p - k_base_port)) : 0xff;
    value |= uint32_t{byte} << (8 * i);
  }
  return value;
}

void Battery::io_write(uint16_t port, AccessWidth width, uint32_t value) {
  for (unsigned i = 0; i < static_cast<unsigned>(width); ++i) {
    const uint32_t p = uint32_t{port} + i;
    if (claims(p)) {
      write_port(static_cast<uint8_t>(p - k_base_port), lane_of(value, i));
    }
  }
}

void Battery::reset() {
  m_index = 0;
  m_argument = 0;
  m_command_status.bits = 0;
  acknowledge_notification();
  m_history.reset();
  m_history_capacity = 0;
  m_history_head = 0;
  m_history_count = 0;
  m_history_cursor = 0;
  m_second_phase = 0;
}

uint8_t Battery::read_port(uint8_t offset) {
  if (offset >= k_data_port && offset < k_data_port + 4) {
    return lane_of(read_register(m_index), offset - k_data_port);
  }
  if (offset >= k_arg_port && offset < k_arg_port + 4) {
    return lane_of(m_argument, offset - k_arg_port);
  }
  if (offset >= k_time_port && offset < k_time_port + 2) {
    const uint32_t minutes = std::min<uint32_t>(time_remaining_minutes(), 0xffff);
    return lane_of(minutes, offset - k_time_port);
  }
  switch (offset) {
    case k_index_port:
      return m_index;
    case k_control_port:
      return m_control.bits;
    case k_status_port:
      return m_status.bits;
    case k_notify_port:
      return m_pending_notification != nullptr ? m_pending_notification->code : 0;
    case k_command_port: {
      const uint8_t notify = m_pending_notification != nullptr ? CommandStatus::k_notify : 0;
      return static_cast<uint8_t>((m_command_status.bits & ~CommandStatus::k_notify) | notify);
    }
    default:
      return 0;  // reserved
  }
}

void Battery::write_port(uint8_t offset, uint8_t value) {
  if (offset >= k_data_port && offset < k_data_port + 4) {
    const unsigned lane = offset - k_data_port;
    // Only writable registers are merged, so a lane write never evaluates a computed register.
    if (m_index < k_register_count && !is_read_only(static_cast<BatteryRegister>(m_index))) {
      write_register(m_index, with_lane(read_register(m_index), lane, value));
    }
    return;
  }
  if (offset >= k_arg_port && offset < k_arg_port + 4) {
    m_argument = with_lane(m_argument, offset - k_arg_port, value);
    return;
  }
  switch (offset) {
    case k_index_port:
      m_index = value;
      return;
    case k_control_port:
      m_control.bits = value;  // takes effect at the next refresh
      return;
    case k_notify_port:
      acknowledge_notification();
      return;
    case k_command_port:
      run_command(value);
      return;
    default:
      return;  // STATUS is read-only; the rest is reserved
  }
}

uint32_t Battery::read_register(uint8_t index) {
  if (index >= k_register_count) {
    return 0xffffffff;
  }
  switch (static_cast<BatteryRegister>(index)) {
    case BatteryRegister::remaining_capacity:
      return m_remaining_capacity;
    case BatteryRegister::present_rate:
      return m_present_rate;
    case BatteryRegister::present_voltage:
      return m_present_voltage;
    case BatteryRegister::design_capacity:
      return m_design_capacity;
    case BatteryRegister::last_full_charge_capacity:
      return m_last_full_charge_capacity;
    case BatteryRegister::cycle_count:
      return m_cycle_count;
    case BatteryRegister::design_voltage:
      return m_design_voltage;
    case BatteryRegister::warning_capacity:
      return m_warning_capacity;
    case BatteryRegister::low_capacity:
      return m_low_capacity;
    case BatteryRegister::time_remaining:
      return time_remaining_minutes();
    case BatteryRegister::history_depth:
      return m_history_capacity;
    case BatteryRegister::history_count:
      return m_history_count;
    case BatteryRegister::history_sample:
      return history_sample_capacity(m_history_cursor);
  }
  return 0xffffffff;
}

void Battery::write_register(uint8_t index, uint32_t value) {
  if (index >= k_register_count) {
    return;
  }
  switch (static_cast<BatteryRegister>(index)) {
    case BatteryRegister::remaining_capacity:
      m_remaining_capacity = value;
      return;
    case BatteryRegister::present_rate:
      m_present_rate = value;
      return;
    case BatteryRegister::present_voltage:
      m_present_voltage = value;
      return;
    case BatteryRegister::design_capacity:
      m_design_capacity = value;
      return;
    case BatteryRegister::last_full_charge_capacity:
      m_last_full_charge_capacity = value;
      return;
    case BatteryRegister::cycle_count:
      m_cycle_count = value;
      return;
    case BatteryRegister::design_voltage:
      m_design_voltage = value;
      return;
    case BatteryRegister::warning_capacity:
      m_warning_capacity = value;
      return;
    case BatteryRegister::low_capacity:
      m_low_capacity = value;
      return;
    case BatteryRegister::time_remaining:
    case BatteryRegister::history_depth:
    case BatteryRegister::history_count:
    case BatteryRegister::history_sample:
      return;  // computed, read-only
  }
}

}  // namespace devices::battery
