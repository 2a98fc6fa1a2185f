#include "devices/rtc/cmos_rtc.hpp"
#include "devices/common/planted_bugs.hpp"

#include <utility>

namespace devices::rtc {

namespace {

constexpr std::array<PortRange, 1> k_port_ranges = {{{CmosRtc::k_index_port, 2}}};

/// Power-on clock: Monday 2024-01-01 00:00:00, stored in BCD as the default register B selects.
constexpr std::array<std::pair<uint8_t, uint8_t>, 5> k_power_on_time = {{
    {k_day_of_week, 0x02},
    {k_day_of_month, 0x01},
    {k_month, 0x01},
    {k_year, 0x24},
    {k_century, 0x20},
}};

bool claims(uint32_t port) { return port == CmosRtc::k_index_port || port == CmosRtc::k_data_port; }

}  // namespace

CmosRtc::CmosRtc() : m_calendar(std::make_unique<Calendar>()) {
  for (const auto& [index, value] : k_power_on_time) {
    m_cmos[index] = value;
  }
  // 32.768 kHz time base with the 1024 Hz periodic rate; 24-hour BCD: what PC firmware programs.
  m_reg_a.bits =
      static_cast<uint8_t>((RegisterA::k_dv_32khz << RegisterA::k_dv_shift) | RegisterA::k_rs_1024hz);
  m_reg_b.bits = RegisterB::k_24h;
}

std::span<const PortRange> CmosRtc::port_ranges() const { return k_port_ranges; }

uint32_t CmosRtc::io_read(uint16_t port, AccessWidth width) {
  // Wider accesses behave like back-to-back byte accesses to consecutive ports (x86 port I/O);
  // bytes that fall outside the chip float high.
  uint32_t value = 0;
  for (unsigned i = 0; i < static_cast<unsigned>(width); ++i) {
    const uint32_t p = uint32_t{port} + i;
    const uint8_t byte = claims(p) ? read_port(static_cast<uint16_t>(p)) : 0xff;
    value |= uint32_t{byte} << (8 * i);
  }
  return value;
}

void CmosRtc::io_write(uint16_t port, AccessWidth width, uint32_t value) {
  for (unsigned i = 0; i < static_cast<unsigned>(width); ++i) {
    const uint32_t p = uint32_t{port} + i;
    if (claims(p)) {
      write_port(static_cast<uint16_t>(p), static_cast<uint8_t>(value >> (8 * i)));
    }
  }
}

void CmosRtc::reset() {
  m_reg_b.bits &=
      static_cast<uint8_t>(~(RegisterB::k_pie | RegisterB::k_aie | RegisterB::k_uie | RegisterB::k_sqwe));
  m_reg_c.bits = 0;
  m_index.bits = 0;
  rearm_periodic_timer();
}

uint8_t CmosRtc::read_port(uint16_t port) {
  if (port == k_index_port) {
    return 0xff;  // write-only on real chipsets
  }
  const uint8_t index = m_index.index();
  return read_register(is_alias_register(index) ? resolve_alias(index) : index);
}

void CmosRtc::write_port(uint16_t port, uint8_t value) {
  if (port == k_index_port) {
    m_index.bits = value;
    return;
  }
  write_register(m_index.index(), value);
}

uint8_t CmosRtc::read_register(uint8_t index) {
  switch (index) {
    case k_register_a:
      return m_reg_a.bits;
    case k_register_b:
      return m_reg_b.bits;
    case k_register_c: {
      // Reading C acknowledges every pending interrupt.
      const uint8_t flags = m_reg_c.bits;
      m_reg_c.bits = 0;
      return flags;
    }
    case k_register_d:
      return m_reg_d.to_bits();
    default:
      return m_cmos[index & CmosIndex::k_index_mask];
  }
}

void CmosRtc::write_register(uint8_t index, uint8_t value) {
  switch (index) {
    case k_register_a: {
      const bool was_running = divider_running();
      // UIP is read-only.
      m_reg_a.bits = static_cast<uint8_t>((value & ~RegisterA::k_uip) | (m_reg_a.bits & RegisterA::k_uip));
      if (!divider_running()) {
        m_reg_a.bits &= static_cast<uint8_t>(~RegisterA::k_uip);
      } else if (!was_running) {
        // Leaving reset: the first update follows half a second later (data sheet).
        m_update_phase = k_ticks_per_second / 2;
      }
      rearm_periodic_timer();
      return;
    }
    case k_register_b:
      m_reg_b.bits = value;
      if ((value & RegisterB::k_set) != 0) {
        // SET aborts any update in progress and forces UIE off (data sheet).
        m_reg_b.bits &= static_cast<uint8_t>(~RegisterB::k_uie);
        m_reg_a.bits &= static_cast<uint8_t>(~RegisterA::k_uip);
      }
      rearm_periodic_timer();
      update_irq_flag();
      return;
    case k_register_c:
    case k_register_d:
      return;  // read-only
    default:
      // Alias registers take their target index like any other byte.
      m_cmos[index & CmosIndex::k_index_mask] = value;
      return;
  }
}

// Follows an extended-bank alias to the register it names.
[[gnu::noinline]] uint8_t CmosRtc::resolve_alias(uint8_t index) {
  if (!is_alias_register(index)) {
    return index;
  }
  if (bug_fixed("RTC-01")) {
    uint8_t current = index;
    for (int hops = 0; hops < 8 && is_alias_register(current); ++hops) {
      current = m_cmos[current] & CmosIndex::k_index_mask;
    }
    return current;
  }
  // PLANTED BUG RTC-01: alias chains are followed with no depth limit; a self-alias recurses forever.
  // An alias naming itself (or a cycle of aliases) recurses until the stack overflows.
  const uint8_t target = resolve_alias(m_cmos[index] & CmosIndex::k_index_mask);
  ++m_alias_reads;
  return target;
}

}  // namespace devices::rtc
