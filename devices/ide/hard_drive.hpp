#pragma once
// An ATA hard drive backed by a 32 KiB in-memory disk: 64 sectors of 512 bytes, addressed by LBA28 or by
// a small CHS geometry (2 cylinders x 2 heads x 16 sectors).
#include "devices/ide/identify.hpp"
#include "devices/ide/registers.hpp"
#include "devices/ide/task_file.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace devices::ide {

/// The registers a hard drive reports itself; the rest of the task file is shared by the channel.
struct HardDriveRegs {
  StatusReg status{};
  ErrorReg error{};
};

enum class TransferModeKind : uint8_t {
  pio_default,           ///< SET FEATURES mode 0x00
  pio_default_no_iordy,  ///< 0x01
  pio_flow_control,      ///< 0x08 | n
  multiword_dma,         ///< 0x20 | n
  ultra_dma,             ///< 0x40 | n
};

struct TransferMode {
  TransferModeKind kind = TransferModeKind::pio_default;
  uint8_t level = 0;
};

struct HardDriveState {
  HardDriveRegs regs{};
  TransferMode transfer_mode{};
  bool write_cache_enabled = true;
  bool revert_to_defaults_on_reset = false;
};

struct ChsGeometry {
  uint16_t cylinders;
  uint8_t heads;
  uint8_t sectors_per_track;
};

class HardDrive {
 public:
  static constexpr uint32_t k_sector_size = k_ata_sector_size;
  static constexpr uint32_t k_total_sectors = 64;
  static constexpr ChsGeometry k_geometry{2, 2, 16};
  static_assert(uint32_t{k_geometry.cylinders} * k_geometry.heads * k_geometry.sectors_per_track ==
                k_total_sectors);

  HardDrive();

  /// Hardware or software reset: diagnostics passed, ready, seek complete.
  void reset();

  StatusReg& status() { return state.regs.status; }
  const StatusReg& status() const { return state.regs.status; }
  uint8_t error_bits() const { return state.regs.error.bits; }

  /// The LBA the task file addresses (LBA28 or CHS), or nullopt for an invalid CHS address.
  std::optional<uint32_t> address_to_lba(const TaskFile& task_file) const;

  /// Copies `count` sectors starting at `lba` into `dest`; false if the range is not on the disk.
  [[gnu::noinline]] bool read_sectors(uint32_t lba, uint32_t count, uint8_t* dest) const;

  /// Writes one sector; false if `lba` is not on the disk.
  bool write_sector(uint32_t lba, const uint8_t* src);

  /// Executes SET FEATURES; false means the command is aborted.
  bool set_features(uint8_t subcommand, uint8_t sector_count);

  IdentifyBytes identify() const;

  HardDriveState state;
  std::vector<uint8_t> disk;

 private:
  [[gnu::noinline]] void set_transfer_mode(uint8_t mode);
};

}  // namespace devices::ide
