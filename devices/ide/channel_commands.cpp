// Command dispatch, and the ATA command set of a hard drive. Commands are looked up in tables (as
// QEMU's ide_cmd_table does) rather than a switch: one row per command.
#include "devices/ide/channel.hpp"

#include <array>
#include <cstring>
#include <utility>

namespace devices::ide {

void Channel::execute_command(uint8_t opcode) {
  DiskDrive* drive = selected();
  if (drive == nullptr) {
    return;  // no device answers; the write goes nowhere
  }
  if (drive_status(*drive).has(StatusReg::k_bsy)) {
    return;  // a busy device ignores the command register
  }
  // A new command replaces whatever was in flight, and writing the command register clears INTRQ.
  end_transfer();
  dma = DmaRequest{};
  interrupt_pending = false;
  if (auto* hard_drive = std::get_if<HardDrive>(drive)) {
    execute_ata_command(*hard_drive, opcode);
  } else if (auto* optical_drive = std::get_if<OpticalDrive>(drive)) {
    execute_atapi_command(*optical_drive, opcode);
  }
}

void Channel::execute_ata_command(HardDrive& drive, uint8_t opcode) {
  struct Command {
    AtaCommand opcode;
    void (Channel::*execute)(HardDrive&);
  };
  static constexpr std::array<Command, 5> k_commands{{
      {AtaCommand::identify_device, &Channel::ata_identify_device},
      {AtaCommand::read_sectors, &Channel::ata_read_sectors},
      {AtaCommand::write_sectors, &Channel::ata_write_sectors},
      {AtaCommand::read_dma, &Channel::ata_read_dma},
      {AtaCommand::set_features, &Channel::ata_set_features},
  }};
  drive.state.regs.error.bits = 0;
  // Unrolled, so every row is a comparison of its own: a fuzzer's value profile then steers towards
  // each opcode separately.
#pragma clang loop unroll(full)
  for (const Command& command : k_commands) {
    if (static_cast<uint8_t>(command.opcode) == opcode) {
      (this->*command.execute)(drive);
      return;
    }
  }
  // Unknown, or a packet command sent to a device without the PACKET feature set.
  fail_ata(drive, ErrorReg::k_abrt);
}

void Channel::complete_ata(HardDrive& drive) {
  drive.state.regs.status.bits = StatusReg::k_drdy | StatusReg::k_dsc;
  raise_interrupt();
}

void Channel::fail_ata(HardDrive& drive, uint8_t error_bits) {
  drive.state.regs.error.bits = error_bits;
  drive.state.regs.status.bits = StatusReg::k_drdy | StatusReg::k_dsc | StatusReg::k_err;
  raise_interrupt();
}

void Channel::ata_identify_device(HardDrive& drive) {
  const IdentifyBytes identify = drive.identify();
  auto buffer = std::make_unique<uint8_t[]>(identify.size());
  std::memcpy(buffer.get(), identify.data(), identify.size());
  start_data_in(std::move(buffer), k_ata_sector_size, k_ata_sector_size);
}

void Channel::ata_read_sectors(HardDrive& drive) {
  const std::optional<uint32_t> lba = drive.address_to_lba(task_file);
  const uint32_t count = ata_sector_count(task_file.sector_count);
  auto buffer = std::make_unique<uint8_t[]>(size_t{count} * k_ata_sector_size);
  if (!lba || !drive.read_sectors(*lba, count, buffer.get())) {
    fail_ata(drive, ErrorReg::k_idnf);
    return;
  }
  start_data_in(std::move(buffer), count * k_ata_sector_size, k_ata_sector_size);
}

void Channel::ata_write_sectors(HardDrive& drive) {
  const std::optional<uint32_t> lba = drive.address_to_lba(task_file);
  if (!lba) {
    fail_ata(drive, ErrorReg::k_idnf);
    return;
  }
  const uint32_t count = ata_sector_count(task_file.sector_count);
  // Sectors are range-checked one by one as they arrive (write_sector_block), as a drive writing
  // through its cache does.
  // PLANTED BUG IDE-02: the buffer is sized from the raw sector count (0 -> 0 bytes) while the transfer
  // length follows 0 = 256 sectors.
  auto buffer = std::make_unique<uint8_t[]>(size_t{task_file.sector_count} * k_ata_sector_size);
  start_data_out(std::move(buffer), count * k_ata_sector_size, k_ata_sector_size);
  pio.lba = *lba;
}

void Channel::ata_read_dma(HardDrive& drive) {
  const std::optional<uint32_t> lba = drive.address_to_lba(task_file);
  const uint32_t count = ata_sector_count(task_file.sector_count);
  std::vector<uint8_t> data(size_t{count} * k_ata_sector_size);
  if (!lba || !drive.read_sectors(*lba, count, data.data())) {
    fail_ata(drive, ErrorReg::k_idnf);
    return;
  }
  // DMARQ is up; the data moves when the bus master runs (IdeController::service_channel).
  dma.pending = true;
  dma.drive = selected_drive;
  dma.data = std::move(data);
  drive.state.regs.status.bits = StatusReg::k_drdy | StatusReg::k_dsc | StatusReg::k_drq;
}

void Channel::ata_set_features(HardDrive& drive) {
  if (drive.set_features(task_file.features, task_file.sector_count)) {
    complete_ata(drive);
  } else {
    fail_ata(drive, ErrorReg::k_abrt);
  }
}

void Channel::complete_dma(bool success) {
  if (!dma.pending) {
    return;
  }
  auto& slot = drives[dma.drive & 1u];
  dma = DmaRequest{};
  if (!slot) {
    return;
  }
  if (auto* hard_drive = std::get_if<HardDrive>(&*slot)) {
    if (success) {
      complete_ata(*hard_drive);
    } else {
      fail_ata(*hard_drive, ErrorReg::k_abrt);
    }
  }
}

}  // namespace devices::ide
