#pragma once
// A National Semiconductor 16550A UART at COM1 (0x3F8-0x3FF): RBR/THR, IER, IIR/FCR, LCR, MCR,
// LSR, MSR, scratch and the DLAB divisor latch; 16-byte RX/TX FIFOs (one holding register each in
// 16450 mode); prioritised interrupt identification; loopback (MCR.LOOP) where transmitted bytes
// come back on the receiver and the MCR outputs drive the MSR inputs. tick() transmits at the
// rate the divisor and line format give.
//
// Split by concept: uart.cpp holds register access, transmitter.cpp timing, transmit and receive,
// interrupts.cpp the interrupt identification and the modem lines.
#include "devices/common/io_device.hpp"
#include "devices/uart/fifo.hpp"
#include "devices/uart/registers.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

namespace devices::uart {

class Uart final : public IoDevice {
 public:
  static constexpr uint16_t k_base_port = 0x3f8;
  static constexpr uint16_t k_port_count = 8;
  static constexpr uint8_t k_fifo_depth = 16;
  /// The PC's UART crystal: 1.8432 MHz, divided by 16 per bit time times the divisor.
  static constexpr uint64_t k_clock_hz = 1'843'200;
  static constexpr uint64_t k_ticks_per_second = 1'000'000;

  /// Register offsets from the base port.
  static constexpr uint8_t k_rbr_thr_dll = 0;
  static constexpr uint8_t k_ier_dlm = 1;
  static constexpr uint8_t k_iir_fcr = 2;
  static constexpr uint8_t k_lcr = 3;
  static constexpr uint8_t k_mcr = 4;
  static constexpr uint8_t k_lsr = 5;
  static constexpr uint8_t k_msr = 6;
  static constexpr uint8_t k_scratch = 7;

  Uart();

  std::string_view name() const override { return "uart16550"; }
  std::span<const PortRange> port_ranges() const override;
  uint32_t io_read(uint16_t port, AccessWidth width) override;
  void io_write(uint16_t port, AccessWidth width, uint32_t value) override;
  /// Master reset (MR pin): everything but the divisor, scratch and the FIFO contents' memory.
  void reset() override;
  void tick(uint64_t ticks) override;

  /// The host end of the line delivering a byte on SIN; ignored in loopback, where SIN is cut off.
  void receive_byte(uint8_t byte);
  /// IRQ4 as a PC wires it: the chip's INTR gated by OUT2.
  bool irq_asserted() const;
  uint64_t bytes_transmitted() const { return m_bytes_transmitted; }

 private:
  uint8_t read_port(uint8_t offset);
  void write_port(uint8_t offset, uint8_t value);
  uint8_t read_rbr();
  void write_thr(uint8_t value);
  void write_ier(uint8_t value);
  void write_fcr(uint8_t value);
  uint8_t read_iir();
  uint8_t read_lsr();
  uint8_t read_msr();
  bool fifo_enabled() const { return m_fcr.enable != 0; }

  // transmitter.cpp
  uint64_t char_time_ticks() const;
  void transmit_one();
  void transmit_loopback();
  void deliver_to_receiver(uint8_t byte);

  // interrupts.cpp
  void write_mcr(uint8_t value);
  void update_modem_inputs();
  bool rx_data_ready() const;
  InterruptIdent identify_interrupt() const;
  /// Recomputes LSR's status bits and IIR after any state change.
  void refresh();

  InterruptEnable m_ier{0};
  InterruptIdent m_iir{InterruptIdent::k_no_pending};
  FifoControl m_fcr{};
  LineControl m_lcr{0};
  ModemControl m_mcr{0};
  LineStatus m_lsr{LineStatus::k_thre | LineStatus::k_temt};
  ModemStatus m_msr{0};
  uint8_t m_scratch = 0;
  uint16_t m_divisor = 12;  ///< 9600 baud, what PC firmware leaves behind
  Fifo m_rx{1};
  Fifo m_tx{1};
  /// The receiver buffer register: the slot of the byte last handed to the guest, so RBR reads
  /// with an empty receiver return it again as the hardware does.
  const uint8_t* m_rbr = nullptr;
  bool m_thre_pending = false;  ///< THR-empty interrupt latched until IIR is read or THR written
  bool m_rx_timeout = false;    ///< character timeout: data waited 4 character times unread
  uint64_t m_tx_phase = 0;      ///< ticks spent shifting out the current character
  uint64_t m_rx_idle_ticks = 0;
  uint64_t m_bytes_transmitted = 0;
};

}  // namespace devices::uart
