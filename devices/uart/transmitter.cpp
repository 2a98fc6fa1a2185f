// Line timing, the transmitter, loopback and the receive path.
#include "devices/uart/uart.hpp"
#include "devices/common/planted_bugs.hpp"

#include <algorithm>
#include <thread>

namespace devices::uart {

namespace {

/// Phases saturate here so arbitrary tick counts cannot overflow them.
constexpr uint64_t k_phase_cap = uint64_t{1} << 62;

uint64_t saturating_add(uint64_t a, uint64_t b) {
  return b > k_phase_cap - std::min(a, k_phase_cap) ? k_phase_cap : a + b;
}

}  // namespace

uint64_t Uart::char_time_ticks() const {
  // Start bit, data bits, optional parity, 1 or 2 stop bits (1.5 with 5-bit words rounds up).
  const uint64_t frame_bits = 1u + m_lcr.data_bits() + ((m_lcr.bits & LineControl::k_pen) != 0 ? 1u : 0u) +
                              ((m_lcr.bits & LineControl::k_stb) != 0 ? 2u : 1u);
  // A divisor of 0 behaves like 65536 (the counter wraps).
  const uint64_t divisor = m_divisor == 0 ? 65536u : m_divisor;
  const uint64_t ticks = (divisor * 16u * frame_bits * k_ticks_per_second) / k_clock_hz;
  return std::max<uint64_t>(ticks, 1);
}

void Uart::tick(uint64_t ticks) {
  const uint64_t char_time = char_time_ticks();
  if (m_tx.empty()) {
    m_tx_phase = 0;
  } else {
    m_tx_phase = saturating_add(m_tx_phase, ticks);
    // Each pass empties at least one byte, so this ends within a FIFO's worth of characters.
    while (!m_tx.empty() && m_tx_phase >= char_time) {
      m_tx_phase -= char_time;
      if (m_mcr.loopback()) {
        transmit_loopback();
      } else {
        transmit_one();
      }
    }
    if (m_tx.empty()) {
      m_tx_phase = 0;
      m_thre_pending = true;
    }
  }
  // Character timeout: FIFO mode, data waiting and nothing read or received for 4 characters.
  if (fifo_enabled() && !m_rx.empty()) {
    m_rx_idle_ticks = saturating_add(m_rx_idle_ticks, ticks);
    if (m_rx_idle_ticks >= 4 * char_time) {
      m_rx_timeout = true;
    }
  }
  refresh();
}

void Uart::transmit_one() {
  // Nothing listens on the far end of the line; a held BREAK swallows the character.
  if ((m_lcr.bits & LineControl::k_break) == 0) {
    ++m_bytes_transmitted;
  }
  m_tx.pop();
}

[[gnu::noinline]] void Uart::transmit_loopback() {
  // Loopback bypasses the line: every pending byte is handed straight to the receiver.
  if (bug_fixed("UART-01") && m_rx.full()) {
    return;
  }
  // PLANTED BUG UART-01: a full RX is waited on instead of overrun; nothing can drain it, so it spins.
  // A byte only leaves TX once RX took it, and the only reader of RX is the guest on this very thread.
  while (!m_tx.empty()) {
    if (m_rx.push(m_tx.front())) {
      m_tx.pop();
      m_rx_idle_ticks = 0;
      m_rx_timeout = false;
      continue;
    }
    std::this_thread::yield();  // give the guest a chance to drain the receiver
  }
}

void Uart::receive_byte(uint8_t byte) {
  if (m_mcr.loopback()) {
    return;
  }
  deliver_to_receiver(byte);
  refresh();
}

void Uart::deliver_to_receiver(uint8_t byte) {
  if (!m_rx.push(byte)) {
    m_lsr.bits |= LineStatus::k_oe;  // the new character is lost
  }
  m_rx_idle_ticks = 0;
  m_rx_timeout = false;
}

}  // namespace devices::uart
