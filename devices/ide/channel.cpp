#include "devices/ide/channel.hpp"

#include <algorithm>
#include <utility>

namespace devices::ide {

namespace {

constexpr uint32_t all_ones(unsigned bytes) { return bytes >= 4 ? 0xffff'ffffu : (1u << (8 * bytes)) - 1; }

}  // namespace

Channel::Channel(std::optional<DiskDrive> master, std::optional<DiskDrive> slave)
    : drives{std::move(master), std::move(slave)} {
  reset();
}

DiskDrive* Channel::selected() {
  auto& slot = drives[selected_drive & 1u];
  return slot ? &*slot : nullptr;
}

bool Channel::empty() const { return !drives[0] && !drives[1]; }

void Channel::raise_interrupt() {
  interrupt_pending = true;
  m_interrupt_edge = true;
}

bool Channel::irq_line() const {
  return interrupt_pending && !task_file.device_control.has(DeviceControlReg::k_nien);
}

bool Channel::take_interrupt_edge() {
  const bool edge = m_interrupt_edge && irq_line();
  m_interrupt_edge = false;
  return edge;
}

void Channel::load_signature() {
  // Device 0 answers for the channel after reset; with no device 0, device 1's signature shows.
  const auto& first = drives[0] ? drives[0] : drives[1];
  const Signature& signature = first && is_packet_device(*first) ? k_atapi_signature : k_ata_signature;
  task_file.sector_count = signature.sector_count;
  task_file.lba_low = signature.lba_low;
  task_file.lba_mid = signature.lba_mid;
  task_file.lba_high = signature.lba_high;
}

void Channel::reset() {
  for (auto& drive : drives) {
    if (drive) {
      reset_drive(*drive);
    }
  }
  task_file = TaskFile{};
  selected_drive = 0;
  pio = PioTransfer{};
  dma = DmaRequest{};
  interrupt_pending = false;
  m_interrupt_edge = false;
  load_signature();
}

uint8_t Channel::read_register(TaskFileOffset offset) {
  if (empty()) {
    return 0xff;  // nothing drives the bus
  }
  DiskDrive* drive = selected();
  switch (offset) {
    case TaskFileOffset::data:
      return static_cast<uint8_t>(read_data_port(1));
    case TaskFileOffset::error_features:
      return drive != nullptr ? drive_error_bits(*drive) : 0;
    case TaskFileOffset::sector_count:
      return task_file.sector_count;
    case TaskFileOffset::lba_low:
      return task_file.lba_low;
    case TaskFileOffset::lba_mid:
      return task_file.lba_mid;
    case TaskFileOffset::lba_high:
      return task_file.lba_high;
    case TaskFileOffset::device_head:
      return task_file.device_head.bits;
    case TaskFileOffset::status_command:
      // Reading the status register acknowledges the interrupt; with device 1 absent, device 0 answers 0.
      interrupt_pending = false;
      return drive != nullptr ? drive_status(*drive).bits : 0;
  }
  return 0xff;
}

void Channel::write_register(TaskFileOffset offset, uint8_t value) {
  // ATA: a write to any command block register clears HOB.
  task_file.device_control.bits &= static_cast<uint8_t>(~DeviceControlReg::k_hob);
  switch (offset) {
    case TaskFileOffset::data:
      write_data_port(1, value);
      return;
    case TaskFileOffset::error_features:
      task_file.features = value;
      return;
    case TaskFileOffset::sector_count:
      task_file.sector_count = value;
      return;
    case TaskFileOffset::lba_low:
      task_file.lba_low = value;
      return;
    case TaskFileOffset::lba_mid:
      task_file.lba_mid = value;
      return;
    case TaskFileOffset::lba_high:
      task_file.lba_high = value;
      return;
    case TaskFileOffset::device_head:
      task_file.device_head.bits = value;
      selected_drive = task_file.device_head.drive_index();
      return;
    case TaskFileOffset::status_command:
      task_file.command = value;
      execute_command(value);
      return;
  }
}

uint8_t Channel::read_alternate_status() {
  if (empty()) {
    return 0xff;
  }
  DiskDrive* drive = selected();
  return drive != nullptr ? drive_status(*drive).bits : 0;
}

void Channel::write_device_control(uint8_t value) {
  const bool was_resetting = task_file.device_control.has(DeviceControlReg::k_srst);
  task_file.device_control.bits = value;
  const bool resetting = task_file.device_control.has(DeviceControlReg::k_srst);
  if (resetting && !was_resetting) {
    begin_software_reset();
  } else if (!resetting && was_resetting) {
    finish_software_reset();
  }
}

void Channel::begin_software_reset() {
  // Both devices go busy while SRST is asserted; whatever they were doing is abandoned.
  for (auto& drive : drives) {
    if (drive) {
      drive_status(*drive).bits = StatusReg::k_bsy;
    }
  }
  interrupt_pending = false;
  dma = DmaRequest{};
  pio.buffer.reset();
  pio.position = 0;
  // PLANTED BUG IDE-05: the data-out phase and the raw write cursor survive the reset; the next data-port
  // write lands in the freed buffer.
}

void Channel::finish_software_reset() {
  for (auto& drive : drives) {
    if (drive) {
      reset_drive(*drive);
    }
  }
  task_file.device_head.bits = 0;
  selected_drive = 0;
  load_signature();
}

uint32_t Channel::read_data_port(unsigned bytes) {
  if (pio.phase != PioPhase::data_in || pio.drive != selected_drive || !pio.buffer) {
    return all_ones(bytes);
  }
  const uint32_t count = std::min<uint32_t>(bytes, pio.block_end - pio.position);
  uint32_t value = 0;
  for (uint32_t i = 0; i < count; ++i) {
    value |= uint32_t{pio.buffer[pio.position + i]} << (8 * i);
  }
  pio.position += count;
  if (pio.position == pio.block_end) {
    data_in_block_done();
  }
  return value;
}

void Channel::write_data_port(unsigned bytes, uint32_t value) {
  if ((pio.phase != PioPhase::data_out && pio.phase != PioPhase::packet_cdb) || pio.drive != selected_drive) {
    return;
  }
  const uint32_t count = std::min<uint32_t>(bytes, pio.block_end - pio.position);
  for (uint32_t i = 0; i < count; ++i) {
    *pio.write_cursor++ = static_cast<uint8_t>(value >> (8 * i));
  }
  pio.position += count;
  // The command packet is always 12 bytes; data-out blocks end where the DRQ block does.
  if (pio.phase == PioPhase::packet_cdb) {
    if (pio.position == k_cdb_size) {
      data_out_block_done();
    }
  } else if (pio.position == pio.block_end) {
    data_out_block_done();
  }
}

void Channel::start_data_in(std::unique_ptr<uint8_t[]> buffer, uint32_t length, uint32_t block_size) {
  pio = PioTransfer{};
  pio.phase = PioPhase::data_in;
  pio.drive = selected_drive;
  pio.buffer = std::move(buffer);
  pio.length = length;
  pio.block_size = block_size;
  pio.block_end = std::min(block_size, length);
  if (DiskDrive* drive = selected()) {
    drive_status(*drive).bits = StatusReg::k_drdy | StatusReg::k_dsc | StatusReg::k_drq;
  }
  raise_interrupt();
}

void Channel::start_data_out(std::unique_ptr<uint8_t[]> buffer, uint32_t length, uint32_t block_size) {
  pio = PioTransfer{};
  pio.phase = PioPhase::data_out;
  pio.drive = selected_drive;
  pio.buffer = std::move(buffer);
  pio.write_cursor = pio.buffer.get();
  pio.length = length;
  pio.block_size = block_size;
  pio.block_end = std::min(block_size, length);
  if (DiskDrive* drive = selected()) {
    drive_status(*drive).bits = StatusReg::k_drdy | StatusReg::k_dsc | StatusReg::k_drq;
  }
  // PIO data-out: the first block is requested without an interrupt.
}

void Channel::end_transfer() { pio = PioTransfer{}; }

void Channel::data_in_block_done() {
  auto& slot = drives[pio.drive & 1u];
  if (!slot) {
    end_transfer();
    return;
  }
  if (pio.position >= pio.length) {
    end_transfer();
    if (auto* optical_drive = std::get_if<OpticalDrive>(&*slot)) {
      complete_packet(*optical_drive);
    } else {
      // ATA data-in ends silently: DRQ drops, no interrupt after the last block.
      drive_status(*slot).bits = StatusReg::k_drdy | StatusReg::k_dsc;
    }
    return;
  }
  pio.block_end = pio.position + std::min(pio.block_size, pio.length - pio.position);
  if (is_packet_device(*slot)) {
    set_atapi_byte_count(pio.block_end - pio.position);
  }
  raise_interrupt();
}

void Channel::data_out_block_done() {
  auto& slot = drives[pio.drive & 1u];
  if (!slot) {
    end_transfer();
    return;
  }
  if (pio.phase == PioPhase::packet_cdb) {
    if (auto* optical_drive = std::get_if<OpticalDrive>(&*slot)) {
      execute_packet(*optical_drive);
      return;
    }
  } else if (auto* hard_drive = std::get_if<HardDrive>(&*slot)) {
    write_sector_block(*hard_drive);
    return;
  }
  end_transfer();
}

void Channel::write_sector_block(HardDrive& drive) {
  const uint8_t* block = pio.buffer.get() + (pio.block_end - pio.block_size);
  if (!drive.write_sector(pio.lba, block)) {
    end_transfer();
    fail_ata(drive, ErrorReg::k_idnf);
    return;
  }
  ++pio.lba;
  if (pio.position >= pio.length) {
    end_transfer();
    complete_ata(drive);
    return;
  }
  // DRQ stays set: the next sector is wanted, and each written block interrupts.
  pio.block_end = pio.position + std::min(pio.block_size, pio.length - pio.position);
  raise_interrupt();
}

}  // namespace devices::ide
