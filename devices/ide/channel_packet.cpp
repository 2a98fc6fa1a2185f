// The ATA commands a packet (ATAPI) device accepts, and the PACKET protocol: the host writes a 12-byte
// CDB through the data port, the drive executes it, data (if any) moves in blocks of at most the host's
// byte count limit, and the interrupt reason in the sector count register says which phase is next.
#include "devices/ide/channel.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

namespace devices::ide {

void Channel::execute_atapi_command(OpticalDrive& drive, uint8_t opcode) {
  struct Command {
    AtaCommand opcode;
    void (Channel::*execute)(OpticalDrive&);
  };
  static constexpr std::array<Command, 4> k_commands{{
      {AtaCommand::identify_packet_device, &Channel::atapi_identify_packet_device},
      {AtaCommand::packet, &Channel::start_packet},
      {AtaCommand::set_features, &Channel::atapi_set_features},
      {AtaCommand::identify_device, &Channel::atapi_identify_device},
  }};
  drive.regs.error.bits = 0;
  // Unrolled, so every row is a comparison of its own: a fuzzer's value profile then steers towards
  // each opcode separately.
#pragma clang loop unroll(full)
  for (const Command& command : k_commands) {
    if (static_cast<uint8_t>(command.opcode) == opcode) {
      (this->*command.execute)(drive);
      return;
    }
  }
  abort_atapi(drive);  // the sector read/write commands are not for packet devices
}

void Channel::abort_atapi(OpticalDrive& drive) {
  drive.regs.error.bits = AtapiErrorReg::k_abrt;
  drive.regs.status.bits = StatusReg::k_drdy | StatusReg::k_err;
  raise_interrupt();
}

void Channel::atapi_identify_packet_device(OpticalDrive& drive) {
  const IdentifyBytes identify = drive.identify_packet();
  auto buffer = std::make_unique<uint8_t[]>(identify.size());
  std::memcpy(buffer.get(), identify.data(), identify.size());
  start_data_in(std::move(buffer), k_ata_sector_size, k_ata_sector_size);
}

void Channel::atapi_identify_device(OpticalDrive& drive) {
  // A packet device aborts IDENTIFY DEVICE and shows its signature: that is how hosts detect it.
  task_file.sector_count = k_atapi_signature.sector_count;
  task_file.lba_low = k_atapi_signature.lba_low;
  task_file.lba_mid = k_atapi_signature.lba_mid;
  task_file.lba_high = k_atapi_signature.lba_high;
  abort_atapi(drive);
}

void Channel::atapi_set_features(OpticalDrive& drive) {
  // Transfer modes change no timing here; a packet device accepts them all.
  drive.regs.status.bits = StatusReg::k_drdy | StatusReg::k_dsc;
  raise_interrupt();
}

void Channel::set_interrupt_reason(OpticalDrive& drive, uint8_t bits) {
  drive.regs.interrupt_reason.bits = bits;
  task_file.sector_count = bits;  // a packet device reports the interrupt reason here
}

void Channel::set_atapi_byte_count(uint32_t count) {
  task_file.lba_mid = static_cast<uint8_t>(count & 0xffu);
  task_file.lba_high = static_cast<uint8_t>((count >> 8) & 0xffu);
}

void Channel::complete_packet(OpticalDrive& drive) {
  drive.regs.status.bits = StatusReg::k_drdy | StatusReg::k_dsc;
  set_interrupt_reason(drive, InterruptReasonReg::k_cod | InterruptReasonReg::k_io);
  raise_interrupt();
}

void Channel::start_packet(OpticalDrive& drive) {
  const auto limit = static_cast<uint16_t>((uint32_t{task_file.lba_high} << 8) | task_file.lba_mid);
  start_data_out(std::make_unique<uint8_t[]>(k_cdb_size), k_cdb_size, k_cdb_size);
  pio.phase = PioPhase::packet_cdb;
  pio.byte_count_limit = limit;
  drive.regs.status.bits = StatusReg::k_drdy | StatusReg::k_drq;
  set_interrupt_reason(drive, InterruptReasonReg::k_cod);
}

void Channel::execute_packet(OpticalDrive& drive) {
  Cdb cdb{};
  std::memcpy(cdb.data(), pio.buffer.get(), cdb.size());
  // A limit of 0 means "as much as you like"; PIO blocks are a whole number of words.
  const uint32_t limit = pio.byte_count_limit == 0 ? 0xfffe : pio.byte_count_limit & ~1u;
  const uint32_t block_size = std::max<uint32_t>(limit, 2);
  end_transfer();

  std::vector<uint8_t> data;
  if (!drive.execute_cdb(cdb, data)) {
    // CHECK CONDITION: the sense key goes to the error register, REQUEST SENSE tells the rest.
    drive.regs.error = AtapiErrorReg::from_sense_key(static_cast<uint8_t>(drive.sense.key));
    drive.regs.status.bits = StatusReg::k_drdy | StatusReg::k_err;
    set_interrupt_reason(drive, InterruptReasonReg::k_cod | InterruptReasonReg::k_io);
    raise_interrupt();
    return;
  }
  if (data.empty()) {
    complete_packet(drive);
    return;
  }
  auto buffer = std::make_unique<uint8_t[]>(data.size());
  std::memcpy(buffer.get(), data.data(), data.size());
  set_interrupt_reason(drive, InterruptReasonReg::k_io);
  start_data_in(std::move(buffer), static_cast<uint32_t>(data.size()), block_size);
  set_atapi_byte_count(pio.block_end - pio.position);
}

}  // namespace devices::ide
