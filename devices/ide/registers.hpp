#pragma once
// The IDE controller's registers. Most are one-byte newtypes around a raw `bits` byte, the shape Rust
// bitfield newtypes have in debug info: a debugger sees only the byte, so triage decodes the bits from the
// register schema (devices/schemas/ide.toml). BusMasterStatusReg is a C++ bitfield struct instead, for
// contrast. The k_ masks are the constants the device code uses; register_constants() exports them.
#include <cstdint>

namespace devices::ide {

/// ATA status register (command block offset 7 on read, and the alternate status register).
struct StatusReg {
  static constexpr uint8_t k_err = 0x01;
  static constexpr uint8_t k_idx = 0x02;   ///< obsolete
  static constexpr uint8_t k_corr = 0x04;  ///< obsolete
  static constexpr uint8_t k_drq = 0x08;
  static constexpr uint8_t k_dsc = 0x10;
  static constexpr uint8_t k_df = 0x20;
  static constexpr uint8_t k_drdy = 0x40;
  static constexpr uint8_t k_bsy = 0x80;

  uint8_t bits = 0;

  constexpr bool has(uint8_t mask) const { return (bits & mask) != 0; }
};

/// ATA error register of a hard drive (command block offset 1 on read).
struct ErrorReg {
  static constexpr uint8_t k_amnf = 0x01;
  static constexpr uint8_t k_tk0nf = 0x02;
  static constexpr uint8_t k_abrt = 0x04;
  static constexpr uint8_t k_mcr = 0x08;
  static constexpr uint8_t k_idnf = 0x10;
  static constexpr uint8_t k_mc = 0x20;
  static constexpr uint8_t k_unc = 0x40;
  static constexpr uint8_t k_bbk = 0x80;
  /// What resets leave behind (the EXECUTE DEVICE DIAGNOSTIC code "device 0 passed").
  static constexpr uint8_t k_diagnostic_passed = 0x01;

  uint8_t bits = 0;
};

/// The error register as an ATAPI device fills it: the SCSI sense key sits in bits 7:4, which overlaps
/// the ATA layout, so it gets its own type (and schema register).
struct AtapiErrorReg {
  static constexpr uint8_t k_ili = 0x01;
  static constexpr uint8_t k_eom = 0x02;
  static constexpr uint8_t k_abrt = 0x04;
  static constexpr uint8_t k_mcr = 0x08;
  static constexpr uint8_t k_sense_key_mask = 0xf0;
  static constexpr unsigned k_sense_key_shift = 4;

  uint8_t bits = 0;

  static constexpr AtapiErrorReg from_sense_key(uint8_t sense_key) {
    return AtapiErrorReg{static_cast<uint8_t>((uint32_t{sense_key} << k_sense_key_shift) & k_sense_key_mask)};
  }
};

/// ATAPI interrupt reason, which the device reports in the sector count register.
struct InterruptReasonReg {
  static constexpr uint8_t k_cod = 0x01;  ///< 1: command packet / status, 0: user data
  static constexpr uint8_t k_io = 0x02;   ///< 1: transfer to the host
  static constexpr uint8_t k_rel = 0x04;  ///< bus release (overlap); never set here

  uint8_t bits = 0;
};

/// Device/head register (command block offset 6).
struct DeviceHeadReg {
  static constexpr uint8_t k_head_mask = 0x0f;  ///< CHS head, or LBA bits 27:24
  static constexpr uint8_t k_dev = 0x10;
  static constexpr uint8_t k_obs5 = 0x20;
  static constexpr uint8_t k_lba = 0x40;
  static constexpr uint8_t k_obs7 = 0x80;

  uint8_t bits = 0;

  constexpr uint8_t head() const { return bits & k_head_mask; }
  constexpr uint8_t drive_index() const { return (bits & k_dev) != 0 ? 1 : 0; }
  constexpr bool lba_mode() const { return (bits & k_lba) != 0; }
};

/// Device control register (control block, written at 0x3f6 / 0x376).
struct DeviceControlReg {
  static constexpr uint8_t k_nien = 0x02;
  static constexpr uint8_t k_srst = 0x04;
  static constexpr uint8_t k_hob = 0x80;

  uint8_t bits = 0;

  constexpr bool has(uint8_t mask) const { return (bits & mask) != 0; }
};

/// Bus-master IDE command register (BAR offset 0 of each channel).
struct BusMasterCommandReg {
  static constexpr uint8_t k_start = 0x01;
  static constexpr uint8_t k_read = 0x08;  ///< direction: device to memory
  static constexpr uint8_t k_writable = k_start | k_read;

  uint8_t bits = 0;

  constexpr bool has(uint8_t mask) const { return (bits & mask) != 0; }
};

/// Bus-master IDE status register (BAR offset 2), kept as a C++ bitfield: the one register whose bits a
/// debugger can see by name. Bits 1 and 2 are write-one-to-clear, 5 and 6 read/write, the rest read-only.
struct BusMasterStatusReg {
  static constexpr uint8_t k_active = 0x01;
  static constexpr uint8_t k_error = 0x02;
  static constexpr uint8_t k_interrupt = 0x04;
  static constexpr uint8_t k_drive0_dma_capable = 0x20;
  static constexpr uint8_t k_drive1_dma_capable = 0x40;
  static constexpr uint8_t k_simplex = 0x80;

  uint8_t active : 1 = 0;
  uint8_t error : 1 = 0;
  uint8_t interrupt : 1 = 0;
  uint8_t reserved : 2 = 0;
  uint8_t drive0_dma_capable : 1 = 0;
  uint8_t drive1_dma_capable : 1 = 0;
  uint8_t simplex : 1 = 0;

  constexpr uint8_t to_bits() const {
    return static_cast<uint8_t>(
        (active != 0 ? k_active : 0) | (error != 0 ? k_error : 0) | (interrupt != 0 ? k_interrupt : 0) |
        (drive0_dma_capable != 0 ? k_drive0_dma_capable : 0) |
        (drive1_dma_capable != 0 ? k_drive1_dma_capable : 0) | (simplex != 0 ? k_simplex : 0));
  }
};
static_assert(sizeof(BusMasterStatusReg) == 1, "triage decodes the first byte");

/// Bus-master PRD table address (BAR offsets 4-7): the table is dword aligned.
inline constexpr uint32_t k_prd_table_address_mask = 0xffff'fffc;

}  // namespace devices::ide
