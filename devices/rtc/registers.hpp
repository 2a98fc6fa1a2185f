#pragma once
// MC146818 status registers A-D and the index register, as a debugger sees them: one-byte newtypes
// holding the raw bits (like OpenVMM's Rust bitfield newtypes, whose fields are invisible in debug
// info), plus register D as a C++ bitfield struct for contrast. The mask constants here are the ones
// the device code uses; register_constants() exports them for the schema test.
#include <cstdint>

namespace devices::rtc {

/// Port 0x70: the CMOS index in bits 6:0, bit 7 masks NMI (the chipset latches both).
struct CmosIndex {
  uint8_t bits;

  static constexpr uint8_t k_index_mask = 0x7f;
  static constexpr uint8_t k_nmi_disable = 0x80;

  constexpr uint8_t index() const { return bits & k_index_mask; }
  constexpr bool nmi_disabled() const { return (bits & k_nmi_disable) != 0; }
};

/// Register A (CMOS 0x0A): periodic rate select, divider chain control, update in progress.
struct RegisterA {
  uint8_t bits;

  static constexpr uint8_t k_rs_mask = 0x0f;
  static constexpr uint8_t k_dv_mask = 0x70;
  static constexpr unsigned k_dv_shift = 4;
  static constexpr uint8_t k_uip = 0x80;

  /// Named DV values: only the three time bases run the divider chain; 0b11x holds it in reset
  /// and the remaining encodings are factory test modes.
  static constexpr unsigned k_dv_4mhz = 0b000;
  static constexpr unsigned k_dv_1mhz = 0b001;
  static constexpr unsigned k_dv_32khz = 0b010;
  static constexpr unsigned k_dv_reset = 0b110;
  static constexpr unsigned k_dv_reset_alt = 0b111;

  /// Named RS values (with the 32.768 kHz time base); 0 turns the periodic interrupt off.
  static constexpr unsigned k_rs_none = 0;
  static constexpr unsigned k_rs_1024hz = 6;

  constexpr unsigned rate_select() const { return bits & k_rs_mask; }
  constexpr unsigned divider() const { return static_cast<unsigned>(bits & k_dv_mask) >> k_dv_shift; }
};

/// Register B (CMOS 0x0B): mode and interrupt enables.
struct RegisterB {
  uint8_t bits;

  static constexpr uint8_t k_dse = 0x01;   ///< daylight saving enable (accepted, not modelled)
  static constexpr uint8_t k_24h = 0x02;   ///< 24-hour mode; clear = 12-hour with bit 7 of hours = PM
  static constexpr uint8_t k_dm = 0x04;    ///< data mode: set = binary, clear = BCD
  static constexpr uint8_t k_sqwe = 0x08;  ///< square wave enable (no pin to drive, stored only)
  static constexpr uint8_t k_uie = 0x10;
  static constexpr uint8_t k_aie = 0x20;
  static constexpr uint8_t k_pie = 0x40;
  static constexpr uint8_t k_set = 0x80;  ///< inhibits update cycles while the guest sets the time

  constexpr bool binary() const { return (bits & k_dm) != 0; }
  constexpr bool hour24() const { return (bits & k_24h) != 0; }
};

/// Register C (CMOS 0x0C): interrupt flags, cleared by reading.
struct RegisterC {
  uint8_t bits;

  static constexpr uint8_t k_uf = 0x10;
  static constexpr uint8_t k_af = 0x20;
  static constexpr uint8_t k_pf = 0x40;
  static constexpr uint8_t k_irqf = 0x80;
};

/// Register D (CMOS 0x0D): only "valid RAM and time" is defined. Kept as a C++ bitfield so triage
/// has both register representations to decode.
struct RegisterD {
  uint8_t reserved : 7;
  uint8_t vrt : 1;

  static constexpr uint8_t k_vrt = 0x80;

  constexpr uint8_t to_bits() const { return vrt != 0 ? k_vrt : 0; }
};

}  // namespace devices::rtc
