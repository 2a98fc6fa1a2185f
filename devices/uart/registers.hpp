#pragma once
// 16550 registers as a debugger sees them: one-byte newtypes holding the raw bits (like OpenVMM's
// Rust bitfield newtypes), plus the FIFO control register as a C++ bitfield struct for contrast.
// The mask constants are the ones the device code uses; register_constants() exports them.
#include <cstdint>

namespace devices::uart {

/// IER (offset 1, DLAB = 0).
struct InterruptEnable {
  uint8_t bits;

  static constexpr uint8_t k_erbfi = 0x01;  ///< received data available (and character timeout)
  static constexpr uint8_t k_etbei = 0x02;  ///< transmitter holding register empty
  static constexpr uint8_t k_elsi = 0x04;   ///< receiver line status
  static constexpr uint8_t k_edssi = 0x08;  ///< modem status
  static constexpr uint8_t k_writable = 0x0f;
};

/// IIR (offset 2, read).
struct InterruptIdent {
  uint8_t bits;

  static constexpr uint8_t k_no_pending = 0x01;  ///< set when no interrupt is pending ("nPENDING")
  static constexpr uint8_t k_iid_mask = 0x0e;
  static constexpr unsigned k_iid_shift = 1;
  static constexpr uint8_t k_fifos_mask = 0xc0;  ///< both set when the FIFOs are enabled

  /// Named IID values, highest priority first.
  static constexpr uint8_t k_iid_line_status = 0b011;
  static constexpr uint8_t k_iid_rx_data = 0b010;
  static constexpr uint8_t k_iid_char_timeout = 0b110;
  static constexpr uint8_t k_iid_thr_empty = 0b001;
  static constexpr uint8_t k_iid_modem_status = 0b000;
};

/// FCR (offset 2, write). A C++ bitfield: rx_reset and tx_reset are self-clearing commands.
struct FifoControl {
  uint8_t enable : 1;
  uint8_t rx_reset : 1;
  uint8_t tx_reset : 1;
  uint8_t dma_mode : 1;
  uint8_t reserved : 2;
  uint8_t trigger : 2;

  static constexpr uint8_t k_enable = 0x01;
  static constexpr uint8_t k_rx_reset = 0x02;
  static constexpr uint8_t k_tx_reset = 0x04;
  static constexpr uint8_t k_dma_mode = 0x08;
  static constexpr uint8_t k_trigger_mask = 0xc0;
  static constexpr unsigned k_trigger_shift = 6;

  static constexpr FifoControl from_bits(uint8_t bits) {
    return FifoControl{
        .enable = static_cast<uint8_t>((bits & k_enable) != 0),
        .rx_reset = static_cast<uint8_t>((bits & k_rx_reset) != 0),
        .tx_reset = static_cast<uint8_t>((bits & k_tx_reset) != 0),
        .dma_mode = static_cast<uint8_t>((bits & k_dma_mode) != 0),
        .reserved = 0,
        .trigger = static_cast<uint8_t>((bits & k_trigger_mask) >> k_trigger_shift),
    };
  }
};

/// LCR (offset 3).
struct LineControl {
  uint8_t bits;

  static constexpr uint8_t k_wls_mask = 0x03;  ///< word length: 0 = 5 bits ... 3 = 8 bits
  static constexpr uint8_t k_stb = 0x04;       ///< 2 stop bits (1.5 with 5-bit words)
  static constexpr uint8_t k_pen = 0x08;
  static constexpr uint8_t k_eps = 0x10;
  static constexpr uint8_t k_stick = 0x20;
  static constexpr uint8_t k_break = 0x40;
  static constexpr uint8_t k_dlab = 0x80;

  static constexpr uint8_t k_wls_5 = 0b00;
  static constexpr uint8_t k_wls_8 = 0b11;

  constexpr unsigned data_bits() const { return 5u + (bits & k_wls_mask); }
  constexpr bool dlab() const { return (bits & k_dlab) != 0; }
};

/// MCR (offset 4).
struct ModemControl {
  uint8_t bits;

  static constexpr uint8_t k_dtr = 0x01;
  static constexpr uint8_t k_rts = 0x02;
  static constexpr uint8_t k_out1 = 0x04;
  static constexpr uint8_t k_out2 = 0x08;
  static constexpr uint8_t k_loop = 0x10;
  static constexpr uint8_t k_writable = 0x1f;

  constexpr bool loopback() const { return (bits & k_loop) != 0; }
};

/// LSR (offset 5).
struct LineStatus {
  uint8_t bits;

  static constexpr uint8_t k_dr = 0x01;
  static constexpr uint8_t k_oe = 0x02;
  static constexpr uint8_t k_pe = 0x04;
  static constexpr uint8_t k_fe = 0x08;
  static constexpr uint8_t k_bi = 0x10;
  static constexpr uint8_t k_thre = 0x20;
  static constexpr uint8_t k_temt = 0x40;
  static constexpr uint8_t k_rxfe = 0x80;  ///< error in RX FIFO (FIFO mode)
  /// Error bits cleared by reading LSR; they raise the line status interrupt.
  static constexpr uint8_t k_errors = k_oe | k_pe | k_fe | k_bi;
};

/// MSR (offset 6).
struct ModemStatus {
  uint8_t bits;

  static constexpr uint8_t k_dcts = 0x01;
  static constexpr uint8_t k_ddsr = 0x02;
  static constexpr uint8_t k_teri = 0x04;  ///< RI went from on to off
  static constexpr uint8_t k_ddcd = 0x08;
  static constexpr uint8_t k_cts = 0x10;
  static constexpr uint8_t k_dsr = 0x20;
  static constexpr uint8_t k_ri = 0x40;
  static constexpr uint8_t k_dcd = 0x80;
  static constexpr uint8_t k_deltas = k_dcts | k_ddsr | k_teri | k_ddcd;
};

}  // namespace devices::uart
