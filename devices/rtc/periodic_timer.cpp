// The periodic interrupt: register A's rate select divides the time base chosen by the divider
// bits; PF rises once per period while PIE is set.
#include "devices/rtc/cmos_rtc.hpp"
#include "devices/common/planted_bugs.hpp"

#include <algorithm>

namespace devices::rtc {

namespace {

/// Oscillator frequency selected by DV. The test and reset encodings have no running time base.
constexpr std::array<uint64_t, 8> k_time_base_hz = {
    4'194'304,  // 0b000
    1'048'576,  // 0b001
    32'768,     // 0b010
    0,          // 0b011: test mode
    0,          // 0b100: test mode
    0,          // 0b101: test mode
    0,          // 0b110: divider chain held in reset
    0,          // 0b111: divider chain held in reset
};

}  // namespace

void CmosRtc::rearm_periodic_timer() {
  const bool enabled =
      (m_reg_b.bits & RegisterB::k_pie) != 0 && m_reg_a.rate_select() != RegisterA::k_rs_none;
  m_periodic_interval = enabled ? periodic_interval_ticks() : 0;
  m_periodic_phase = 0;
}

[[gnu::noinline]] uint64_t CmosRtc::periodic_interval_ticks() const {
  const unsigned rs = m_reg_a.rate_select();
  const unsigned dv = m_reg_a.divider();
  // With the 32.768 kHz base, RS 1 and 2 repeat the 256 Hz and 128 Hz taps of RS 8 and 9.
  const unsigned shift = (dv == RegisterA::k_dv_32khz && rs <= 2) ? rs + 6 : rs - 1;
  const uint64_t rate_hz = k_time_base_hz[dv] >> shift;
  if (bug_fixed("RTC-02") && rate_hz == 0) {
    return 0;
  }
  // PLANTED BUG RTC-02: test/reset divider settings have a time base of 0, so this divides by zero.
  // They are not rejected before the rate is computed: PIE with a non-zero RS arms the timer anyway.
  const uint64_t interval = k_ticks_per_second / rate_hz;
  // Rates above 1 MHz (4 MHz base, small RS) still fire at most once per tick.
  return std::max<uint64_t>(interval, 1);
}

void CmosRtc::run_periodic_timer(uint64_t ticks) {
  if (m_periodic_interval == 0) {
    return;
  }
  const uint64_t until_next = m_periodic_interval - m_periodic_phase;
  if (ticks < until_next) {
    m_periodic_phase += ticks;
    return;
  }
  m_periodic_phase = (ticks - until_next) % m_periodic_interval;
  m_reg_c.bits |= RegisterC::k_pf;
  update_irq_flag();
}

}  // namespace devices::rtc
