// Interrupt identification (16550 priorities) and the modem control/status lines.
#include "devices/uart/uart.hpp"

namespace devices::uart {

namespace {

/// RX FIFO trigger levels selected by FCR bits 7:6.
constexpr std::array<uint8_t, 4> k_trigger_levels = {1, 4, 8, 14};

uint8_t iid_bits(uint8_t iid) { return static_cast<uint8_t>(iid << InterruptIdent::k_iid_shift); }

}  // namespace

bool Uart::irq_asserted() const {
  return (m_iir.bits & InterruptIdent::k_no_pending) == 0 && (m_mcr.bits & ModemControl::k_out2) != 0;
}

void Uart::write_mcr(uint8_t value) {
  m_mcr.bits = value & ModemControl::k_writable;
  update_modem_inputs();
}

void Uart::update_modem_inputs() {
  uint8_t inputs = 0;
  if (m_mcr.loopback()) {
    // Loopback wires the outputs to the inputs: RTS->CTS, DTR->DSR, OUT1->RI, OUT2->DCD.
    const uint8_t mcr = m_mcr.bits;
    inputs = static_cast<uint8_t>(((mcr & ModemControl::k_rts) != 0 ? ModemStatus::k_cts : 0) |
                                  ((mcr & ModemControl::k_dtr) != 0 ? ModemStatus::k_dsr : 0) |
                                  ((mcr & ModemControl::k_out1) != 0 ? ModemStatus::k_ri : 0) |
                                  ((mcr & ModemControl::k_out2) != 0 ? ModemStatus::k_dcd : 0));
  } else {
    // The host end behaves like an attached, ready terminal that never rings.
    inputs = ModemStatus::k_cts | ModemStatus::k_dsr | ModemStatus::k_dcd;
  }
  const uint8_t old = m_msr.bits;
  const uint8_t changed = old ^ inputs;
  uint8_t deltas = old & ModemStatus::k_deltas;
  if ((changed & ModemStatus::k_cts) != 0) {
    deltas |= ModemStatus::k_dcts;
  }
  if ((changed & ModemStatus::k_dsr) != 0) {
    deltas |= ModemStatus::k_ddsr;
  }
  if ((old & ModemStatus::k_ri) != 0 && (inputs & ModemStatus::k_ri) == 0) {
    deltas |= ModemStatus::k_teri;  // trailing edge only
  }
  if ((changed & ModemStatus::k_dcd) != 0) {
    deltas |= ModemStatus::k_ddcd;
  }
  m_msr.bits = static_cast<uint8_t>(inputs | deltas);
}

bool Uart::rx_data_ready() const {
  if (!fifo_enabled()) {
    return !m_rx.empty();
  }
  return m_rx.size() >= k_trigger_levels[m_fcr.trigger];
}

InterruptIdent Uart::identify_interrupt() const {
  const uint8_t fifos = fifo_enabled() ? InterruptIdent::k_fifos_mask : 0;
  const uint8_t ier = m_ier.bits;
  uint8_t iid = 0;
  if ((ier & InterruptEnable::k_elsi) != 0 && (m_lsr.bits & LineStatus::k_errors) != 0) {
    iid = InterruptIdent::k_iid_line_status;
  } else if ((ier & InterruptEnable::k_erbfi) != 0 && rx_data_ready()) {
    iid = InterruptIdent::k_iid_rx_data;
  } else if ((ier & InterruptEnable::k_erbfi) != 0 && m_rx_timeout) {
    iid = InterruptIdent::k_iid_char_timeout;
  } else if ((ier & InterruptEnable::k_etbei) != 0 && m_thre_pending) {
    iid = InterruptIdent::k_iid_thr_empty;
  } else if ((ier & InterruptEnable::k_edssi) != 0 && (m_msr.bits & ModemStatus::k_deltas) != 0) {
    iid = InterruptIdent::k_iid_modem_status;
  } else {
    return InterruptIdent{static_cast<uint8_t>(fifos | InterruptIdent::k_no_pending)};
  }
  return InterruptIdent{static_cast<uint8_t>(fifos | iid_bits(iid))};
}

void Uart::refresh() {
  uint8_t lsr = m_lsr.bits & LineStatus::k_errors;
  if (!m_rx.empty()) {
    lsr |= LineStatus::k_dr;
  }
  if (m_tx.empty()) {
    // No separate shift register is modelled: the transmitter is idle once the FIFO is.
    lsr |= LineStatus::k_thre | LineStatus::k_temt;
  }
  if (fifo_enabled() && (lsr & LineStatus::k_errors) != 0) {
    lsr |= LineStatus::k_rxfe;
  }
  m_lsr.bits = lsr;
  m_iir = identify_interrupt();
}

}  // namespace devices::uart
