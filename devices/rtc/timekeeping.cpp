// The once-a-second update cycle: UIP, decoding the guest-visible clock (BCD or binary, 12- or
// 24-hour), advancing it, encoding it back, and the UF/AF flags.
#include "devices/rtc/cmos_rtc.hpp"
#include "devices/common/planted_bugs.hpp"

#include <cstdio>
#include <cstdlib>

namespace devices::rtc {

namespace {

uint8_t to_bcd(uint8_t value) {
  const unsigned v = value % 100u;
  return static_cast<uint8_t>(((v / 10u) << 4) | (v % 10u));
}

}  // namespace

bool CmosRtc::divider_running() const {
  const unsigned dv = m_reg_a.divider();
  return dv == RegisterA::k_dv_4mhz || dv == RegisterA::k_dv_1mhz || dv == RegisterA::k_dv_32khz;
}

void CmosRtc::tick(uint64_t ticks) {
  run_periodic_timer(ticks);
  if (!divider_running()) {
    return;
  }
  // Split to avoid overflowing the phase with huge tick counts.
  uint64_t cycles = ticks / k_ticks_per_second;
  m_update_phase += ticks % k_ticks_per_second;
  if (m_update_phase >= k_ticks_per_second) {
    m_update_phase -= k_ticks_per_second;
    ++cycles;
  }
  if (cycles > k_max_catch_up_cycles) {
    cycles = k_max_catch_up_cycles;
  }
  const bool set_mode = (m_reg_b.bits & RegisterB::k_set) != 0;
  for (uint64_t i = 0; i < cycles && !set_mode; ++i) {
    run_update_cycle();
  }
  const bool uip = !set_mode && m_update_phase >= k_ticks_per_second - k_uip_lead_ticks;
  m_reg_a.bits =
      static_cast<uint8_t>(uip ? (m_reg_a.bits | RegisterA::k_uip) : (m_reg_a.bits & ~RegisterA::k_uip));
}

void CmosRtc::run_update_cycle() {
  load_calendar();
  m_calendar->advance_one_second();
  store_calendar();
  m_reg_c.bits |= RegisterC::k_uf;
  if (alarm_matches()) {
    m_reg_c.bits |= RegisterC::k_af;
  }
  update_irq_flag();
}

void CmosRtc::load_calendar() {
  Calendar& cal = *m_calendar;
  cal.seconds = decode_time(m_cmos[k_seconds], k_seconds);
  cal.minutes = decode_time(m_cmos[k_minutes], k_minutes);
  const uint8_t raw_hours = m_cmos[k_hours];
  if (m_reg_b.hour24()) {
    cal.hours = decode_time(raw_hours, k_hours);
  } else {
    // 12-hour mode: 12 AM is hour 0, 12 PM is hour 12.
    const uint8_t hour12 = decode_time(static_cast<uint8_t>(raw_hours & ~k_hours_pm), k_hours);
    const bool pm = (raw_hours & k_hours_pm) != 0;
    cal.hours = static_cast<uint8_t>((hour12 % 12u) + (pm ? 12u : 0u));
  }
  cal.day_of_week = decode_time(m_cmos[k_day_of_week], k_day_of_week);
  cal.day_of_month = decode_time(m_cmos[k_day_of_month], k_day_of_month);
  cal.month = decode_time(m_cmos[k_month], k_month);
  cal.year = decode_time(m_cmos[k_year], k_year);
}

void CmosRtc::store_calendar() {
  const Calendar& cal = *m_calendar;
  m_cmos[k_seconds] = encode_time(cal.seconds);
  m_cmos[k_minutes] = encode_time(cal.minutes);
  if (m_reg_b.hour24()) {
    m_cmos[k_hours] = encode_time(cal.hours);
  } else {
    const unsigned hour12 = cal.hours % 12u == 0 ? 12u : cal.hours % 12u;
    m_cmos[k_hours] =
        static_cast<uint8_t>(encode_time(static_cast<uint8_t>(hour12)) | (cal.hours >= 12 ? k_hours_pm : 0));
  }
  m_cmos[k_day_of_week] = encode_time(cal.day_of_week);
  m_cmos[k_day_of_month] = encode_time(cal.day_of_month);
  m_cmos[k_month] = encode_time(cal.month);
  m_cmos[k_year] = encode_time(cal.year);
}

uint8_t CmosRtc::decode_time(uint8_t raw, uint8_t reg) const {
  return m_reg_b.binary() ? raw : from_bcd(raw, reg);
}

uint8_t CmosRtc::encode_time(uint8_t value) const {
  // Binary values the guest wrote out of range stay as they are until a carry resets them.
  return m_reg_b.binary() ? value : to_bcd(value);
}

[[gnu::noinline]] uint8_t CmosRtc::from_bcd(uint8_t value, uint8_t reg) const {
  if (((value & 0x0fu) > 9 || (value >> 4) > 9) && !bug_fixed("RTC-03")) {
    // PLANTED BUG RTC-03: a guest-written non-BCD clock byte aborts the VMM instead of being tolerated.
    // It is treated as an internal invariant violation, while the real chip just counts on garbage.
    std::fprintf(stderr, "rtc: invalid BCD value 0x%02x in register 0x%02x\n", value, reg);
    std::abort();
  }
  return static_cast<uint8_t>(((value >> 4) * 10u) + (value & 0x0fu));
}

bool CmosRtc::alarm_matches() const {
  // Compared in the registers' own encoding, as the chip does; 0xC0-0xFF is "don't care".
  const auto matches = [this](uint8_t alarm_reg, uint8_t time_reg) {
    const uint8_t alarm = m_cmos[alarm_reg];
    return (alarm & k_alarm_dont_care) == k_alarm_dont_care || alarm == m_cmos[time_reg];
  };
  return matches(k_seconds_alarm, k_seconds) && matches(k_minutes_alarm, k_minutes) &&
         matches(k_hours_alarm, k_hours);
}

void CmosRtc::update_irq_flag() {
  // UF/AF/PF sit at the same bit positions as their enables UIE/AIE/PIE in register B.
  static_assert(RegisterC::k_uf == RegisterB::k_uie && RegisterC::k_af == RegisterB::k_aie &&
                RegisterC::k_pf == RegisterB::k_pie);
  const uint8_t sources = RegisterC::k_uf | RegisterC::k_af | RegisterC::k_pf;
  if ((m_reg_c.bits & m_reg_b.bits & sources) != 0) {
    m_reg_c.bits |= RegisterC::k_irqf;
  } else {
    m_reg_c.bits &= static_cast<uint8_t>(~RegisterC::k_irqf);
  }
}

}  // namespace devices::rtc
