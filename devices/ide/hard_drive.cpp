#include "devices/ide/hard_drive.hpp"

#include <array>
#include <cstring>
#include <map>

namespace devices::ide {

namespace {

/// Deterministic disk contents, so reads return something recognisable: each sector is filled with its
/// LBA. (memset per sector: a fresh device per fuzz input has to be cheap.)
std::vector<uint8_t> make_disk_image() {
  std::vector<uint8_t> image(size_t{HardDrive::k_total_sectors} * HardDrive::k_sector_size);
  for (uint32_t lba = 0; lba < HardDrive::k_total_sectors; ++lba) {
    std::memset(image.data() + size_t{lba} * HardDrive::k_sector_size, static_cast<int>(lba),
                HardDrive::k_sector_size);
  }
  return image;
}

}  // namespace

HardDrive::HardDrive() : disk(make_disk_image()) { reset(); }

void HardDrive::reset() {
  state.regs.status.bits = StatusReg::k_drdy | StatusReg::k_dsc;
  state.regs.error.bits = ErrorReg::k_diagnostic_passed;
  if (state.revert_to_defaults_on_reset) {
    state.transfer_mode = TransferMode{};
    state.write_cache_enabled = true;
  }
}

std::optional<uint32_t> HardDrive::address_to_lba(const TaskFile& task_file) const {
  if (task_file.device_head.lba_mode()) {
    return (uint32_t{task_file.device_head.head()} << 24) | (uint32_t{task_file.lba_high} << 16) |
           (uint32_t{task_file.lba_mid} << 8) | task_file.lba_low;
  }
  // CHS: sectors count from 1, the cylinder is split over LBA mid/high.
  const uint32_t sector = task_file.lba_low;
  const uint32_t cylinder = (uint32_t{task_file.lba_high} << 8) | task_file.lba_mid;
  const uint32_t head = task_file.device_head.head();
  if (sector == 0 || sector > k_geometry.sectors_per_track || head >= k_geometry.heads ||
      cylinder >= k_geometry.cylinders) {
    return std::nullopt;
  }
  return (cylinder * k_geometry.heads + head) * k_geometry.sectors_per_track + (sector - 1);
}

bool HardDrive::read_sectors(uint32_t lba, uint32_t count, uint8_t* dest) const {
  // PLANTED BUG IDE-01: off-by-one range check; a read ending one sector past the disk passes and copies from
  // beyond the vector.
  if (lba + count > k_total_sectors + 1) {
    return false;
  }
  std::memcpy(dest, disk.data() + size_t{lba} * k_sector_size, size_t{count} * k_sector_size);
  return true;
}

bool HardDrive::write_sector(uint32_t lba, const uint8_t* src) {
  if (lba >= k_total_sectors) {
    return false;
  }
  std::memcpy(disk.data() + size_t{lba} * k_sector_size, src, k_sector_size);
  return true;
}

bool HardDrive::set_features(uint8_t subcommand, uint8_t sector_count) {
  struct Subcommand {
    SetFeaturesCode code;
    void (*execute)(HardDrive&, uint8_t sector_count);
  };
  static constexpr std::array<Subcommand, 5> k_subcommands{{
      {SetFeaturesCode::set_transfer_mode,
       [](HardDrive& drive, uint8_t mode) { drive.set_transfer_mode(mode); }},
      {SetFeaturesCode::enable_write_cache,
       [](HardDrive& drive, uint8_t) { drive.state.write_cache_enabled = true; }},
      {SetFeaturesCode::disable_write_cache,
       [](HardDrive& drive, uint8_t) { drive.state.write_cache_enabled = false; }},
      {SetFeaturesCode::enable_reverting_to_defaults,
       [](HardDrive& drive, uint8_t) { drive.state.revert_to_defaults_on_reset = true; }},
      {SetFeaturesCode::disable_reverting_to_defaults,
       [](HardDrive& drive, uint8_t) { drive.state.revert_to_defaults_on_reset = false; }},
  }};
  // Unrolled, so every row is a comparison of its own: a fuzzer's value profile then steers towards
  // each opcode separately.
#pragma clang loop unroll(full)
  for (const Subcommand& entry : k_subcommands) {
    if (static_cast<uint8_t>(entry.code) == subcommand) {
      entry.execute(*this, sector_count);
      return true;
    }
  }
  return false;  // unsupported subcommand: the command is aborted
}

void HardDrive::set_transfer_mode(uint8_t mode) {
  // The transfer modes IDENTIFY advertises: PIO 0-4, multiword DMA 0-2, Ultra DMA 0-5.
  static const std::map<uint8_t, TransferMode> k_modes = {
      {0x00, {TransferModeKind::pio_default, 0}},      {0x01, {TransferModeKind::pio_default_no_iordy, 0}},
      {0x08, {TransferModeKind::pio_flow_control, 0}}, {0x09, {TransferModeKind::pio_flow_control, 1}},
      {0x0a, {TransferModeKind::pio_flow_control, 2}}, {0x0b, {TransferModeKind::pio_flow_control, 3}},
      {0x0c, {TransferModeKind::pio_flow_control, 4}}, {0x20, {TransferModeKind::multiword_dma, 0}},
      {0x21, {TransferModeKind::multiword_dma, 1}},    {0x22, {TransferModeKind::multiword_dma, 2}},
      {0x40, {TransferModeKind::ultra_dma, 0}},        {0x41, {TransferModeKind::ultra_dma, 1}},
      {0x42, {TransferModeKind::ultra_dma, 2}},        {0x43, {TransferModeKind::ultra_dma, 3}},
      {0x44, {TransferModeKind::ultra_dma, 4}},        {0x45, {TransferModeKind::ultra_dma, 5}},
  };
  // PLANTED BUG IDE-06: std::map::at throws std::out_of_range for a mode the table lacks instead of aborting
  // the command.
  state.transfer_mode = k_modes.at(mode);
}

IdentifyBytes HardDrive::identify() const {
  namespace w = identify_word;
  IdentifyData id{};
  id[w::k_general_config] = 0x0040;  // fixed (non-removable) ATA device
  id[w::k_cylinders] = k_geometry.cylinders;
  id[w::k_heads] = k_geometry.heads;
  id[w::k_sectors_per_track] = k_geometry.sectors_per_track;
  put_ata_string(id, w::k_serial_number, 10, "TRIAGE-HD-0001");
  put_ata_string(id, w::k_firmware_revision, 4, "1.0");
  put_ata_string(id, w::k_model_number, 20, "triage emulated ATA disk");
  id[w::k_capabilities] = 0x0300;    // LBA and DMA supported
  id[w::k_field_validity] = 0x0007;  // words 54-58, 64-70 and 88 are valid
  id[w::k_current_cylinders] = k_geometry.cylinders;
  id[w::k_current_heads] = k_geometry.heads;
  id[w::k_current_sectors_per_track] = k_geometry.sectors_per_track;
  put_dword(id, w::k_current_capacity, k_total_sectors);
  put_dword(id, w::k_total_lba28_sectors, k_total_sectors);
  id[w::k_pio_modes] = 0x0003;      // PIO 3 and 4
  id[w::k_major_version] = 0x00f0;  // ATA/ATAPI-4 to -7
  // Supported modes in the low byte, the selected one in the high byte.
  const TransferMode mode = state.transfer_mode;
  uint16_t mwdma = 0x0007;
  uint16_t udma = 0x003f;
  if (mode.kind == TransferModeKind::multiword_dma) {
    mwdma = static_cast<uint16_t>(mwdma | (0x0100u << mode.level));
  } else if (mode.kind == TransferModeKind::ultra_dma) {
    udma = static_cast<uint16_t>(udma | (0x0100u << mode.level));
  }
  id[w::k_multiword_dma] = mwdma;
  id[w::k_ultra_dma] = udma;
  return to_bytes(id);
}

}  // namespace devices::ide
