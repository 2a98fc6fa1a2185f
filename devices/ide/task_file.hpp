#pragma once
// The ATA task file as the host writes it, the register offsets within a channel's command block, and
// the command opcodes this controller understands.
#include "devices/ide/registers.hpp"

#include <cstdint>

namespace devices::ide {

/// Offsets within the command block (0x1f0-0x1f7 primary, 0x170-0x177 secondary).
enum class TaskFileOffset : uint8_t {
  data = 0,
  error_features = 1,
  sector_count = 2,
  lba_low = 3,
  lba_mid = 4,
  lba_high = 5,
  device_head = 6,
  status_command = 7,
};

/// The registers shared by both drives of a channel: the host writes them once and whichever drive the
/// DEV bit selects acts on them. Drives write their outputs (signature, ATAPI byte count and interrupt
/// reason) back here; status and error belong to each drive.
struct TaskFile {
  uint8_t features = 0;
  uint8_t sector_count = 0;
  uint8_t lba_low = 0;
  uint8_t lba_mid = 0;
  uint8_t lba_high = 0;
  DeviceHeadReg device_head{};
  uint8_t command = 0;
  DeviceControlReg device_control{};
};

/// ATA command opcodes.
enum class AtaCommand : uint8_t {
  read_sectors = 0x20,
  write_sectors = 0x30,
  packet = 0xa0,
  identify_packet_device = 0xa1,
  read_dma = 0xc8,
  identify_device = 0xec,
  set_features = 0xef,
};

/// SET FEATURES subcommands (features register).
enum class SetFeaturesCode : uint8_t {
  enable_write_cache = 0x02,
  set_transfer_mode = 0x03,
  disable_reverting_to_defaults = 0x66,
  disable_write_cache = 0x82,
  enable_reverting_to_defaults = 0xcc,
};

/// The ATA sector count rule: a count of 0 means 256 sectors.
constexpr uint32_t ata_sector_count(uint8_t raw) { return raw == 0 ? 256u : raw; }

inline constexpr uint32_t k_ata_sector_size = 512;

/// The signature a device leaves in the task file after reset (ATA-8 "signature and persistence").
struct Signature {
  uint8_t sector_count;
  uint8_t lba_low;
  uint8_t lba_mid;
  uint8_t lba_high;
};
inline constexpr Signature k_ata_signature{0x01, 0x01, 0x00, 0x00};
inline constexpr Signature k_atapi_signature{0x01, 0x01, 0x14, 0xeb};

}  // namespace devices::ide
