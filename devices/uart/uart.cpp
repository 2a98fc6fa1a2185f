#include "devices/uart/uart.hpp"
#include "devices/common/planted_bugs.hpp"

namespace devices::uart {

namespace {

constexpr std::array<PortRange, 1> k_port_ranges = {{{Uart::k_base_port, Uart::k_port_count}}};

bool claims(uint32_t port) {
  return port >= Uart::k_base_port && port < Uart::k_base_port + Uart::k_port_count;
}

}  // namespace

Uart::Uart() : m_rbr(m_rx.front_slot()) {
  update_modem_inputs();
  m_msr.bits &= static_cast<uint8_t>(~ModemStatus::k_deltas);
  refresh();
}

std::span<const PortRange> Uart::port_ranges() const { return k_port_ranges; }

uint32_t Uart::io_read(uint16_t port, AccessWidth width) {
  // Wider accesses behave like byte accesses to consecutive ports; bytes past the chip float high.
  uint32_t value = 0;
  for (unsigned i = 0; i < static_cast<unsigned>(width); ++i) {
    const uint32_t p = uint32_t{port} + i;
    const uint8_t byte = claims(p) ? read_port(static_cast<uint8_t>(p - k_base_port)) : 0xff;
    value |= uint32_t{byte} << (8 * i);
  }
  return value;
}

void Uart::io_write(uint16_t port, AccessWidth width, uint32_t value) {
  for (unsigned i = 0; i < static_cast<unsigned>(width); ++i) {
    const uint32_t p = uint32_t{port} + i;
    if (claims(p)) {
      write_port(static_cast<uint8_t>(p - k_base_port), static_cast<uint8_t>(value >> (8 * i)));
    }
  }
}

void Uart::reset() {
  m_ier.bits = 0;
  m_lcr.bits = 0;
  write_fcr(0);
  m_rx.clear();
  m_tx.clear();
  m_rbr = m_rx.front_slot();
  m_lsr.bits = 0;
  m_thre_pending = false;
  m_rx_timeout = false;
  m_tx_phase = 0;
  m_rx_idle_ticks = 0;
  write_mcr(0);
  m_msr.bits &= static_cast<uint8_t>(~ModemStatus::k_deltas);
  refresh();
}

uint8_t Uart::read_port(uint8_t offset) {
  uint8_t value = 0;
  switch (offset) {
    case k_rbr_thr_dll:
      value = m_lcr.dlab() ? static_cast<uint8_t>(m_divisor & 0xff) : read_rbr();
      break;
    case k_ier_dlm:
      value = m_lcr.dlab() ? static_cast<uint8_t>(m_divisor >> 8) : m_ier.bits;
      break;
    case k_iir_fcr:
      value = read_iir();
      break;
    case k_lcr:
      value = m_lcr.bits;
      break;
    case k_mcr:
      value = m_mcr.bits;
      break;
    case k_lsr:
      value = read_lsr();
      break;
    case k_msr:
      value = read_msr();
      break;
    case k_scratch:
      value = m_scratch;
      break;
    default:
      value = 0xff;
      break;
  }
  refresh();
  return value;
}

void Uart::write_port(uint8_t offset, uint8_t value) {
  switch (offset) {
    case k_rbr_thr_dll:
      if (m_lcr.dlab()) {
        m_divisor = static_cast<uint16_t>((m_divisor & 0xff00) | value);
      } else {
        write_thr(value);
      }
      break;
    case k_ier_dlm:
      if (m_lcr.dlab()) {
        m_divisor = static_cast<uint16_t>((m_divisor & 0x00ff) | (value << 8));
      } else {
        write_ier(value);
      }
      break;
    case k_iir_fcr:
      write_fcr(value);
      break;
    case k_lcr:
      m_lcr.bits = value;
      break;
    case k_mcr:
      write_mcr(value);
      break;
    case k_lsr:
    case k_msr:
      break;  // factory test writes: ignored
    case k_scratch:
      m_scratch = value;
      break;
    default:
      break;
  }
  refresh();
}

[[gnu::noinline]] uint8_t Uart::read_rbr() {
  if (!m_rx.empty()) {
    m_rbr = m_rx.front_slot();
    m_rx.pop();
  }
  m_rx_timeout = false;
  m_rx_idle_ticks = 0;
  if (bug_fixed("UART-02") && m_rx.empty()) {
    return 0;
  }
  // PLANTED BUG UART-02: m_rbr may point into RX storage that write_fcr() freed; this reads freed memory.
  // Toggling FCR.ENABLE reallocates the FIFOs without refreshing m_rbr; with the receiver empty the
  // stale pointer is read.
  return *m_rbr;
}

void Uart::write_thr(uint8_t value) {
  // A full transmitter drops the byte, as the chip silently overwrites nothing.
  static_cast<void>(m_tx.push(value));
  m_thre_pending = false;
}

void Uart::write_ier(uint8_t value) {
  const bool etbei_was_set = (m_ier.bits & InterruptEnable::k_etbei) != 0;
  m_ier.bits = value & InterruptEnable::k_writable;
  // Enabling ETBEI with the transmitter already empty raises THRE at once (16550 behaviour).
  if (!etbei_was_set && (m_ier.bits & InterruptEnable::k_etbei) != 0 && m_tx.empty()) {
    m_thre_pending = true;
  }
}

void Uart::write_fcr(uint8_t value) {
  const FifoControl fcr = FifoControl::from_bits(value);
  if (fcr.enable != m_fcr.enable) {
    // Switching between 16450 and 16550 mode resizes both FIFOs and discards their contents.
    // m_rbr keeps pointing into the old RX storage (UART-02, see read_rbr()).
    const uint8_t depth = fcr.enable != 0 ? k_fifo_depth : 1;
    m_rx.reallocate(depth);
    m_tx.reallocate(depth);
    m_rx_timeout = false;
    if (m_tx.empty()) {
      m_thre_pending = (m_ier.bits & InterruptEnable::k_etbei) != 0;
    }
  }
  if (fcr.enable == 0) {
    m_fcr = FifoControl{};  // the other bits only take effect with the FIFOs enabled
    return;
  }
  if (fcr.rx_reset != 0) {
    m_rx.clear();
    m_rx_timeout = false;
  }
  if (fcr.tx_reset != 0) {
    m_tx.clear();
  }
  m_fcr = fcr;
  m_fcr.rx_reset = 0;  // self-clearing
  m_fcr.tx_reset = 0;
}

uint8_t Uart::read_iir() {
  const InterruptIdent ident = identify_interrupt();
  // Reading IIR acknowledges a THR-empty interrupt when that is what it reports.
  if ((ident.bits & InterruptIdent::k_no_pending) == 0 &&
      ((ident.bits & InterruptIdent::k_iid_mask) >> InterruptIdent::k_iid_shift) ==
          InterruptIdent::k_iid_thr_empty) {
    m_thre_pending = false;
  }
  return ident.bits;
}

uint8_t Uart::read_lsr() {
  const uint8_t value = m_lsr.bits;
  m_lsr.bits &= static_cast<uint8_t>(~(LineStatus::k_errors | LineStatus::k_rxfe));
  return value;
}

uint8_t Uart::read_msr() {
  const uint8_t value = m_msr.bits;
  m_msr.bits &= static_cast<uint8_t>(~ModemStatus::k_deltas);
  return value;
}

}  // namespace devices::uart
