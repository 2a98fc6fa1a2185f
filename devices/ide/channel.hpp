#pragma once
// One IDE channel: two drive slots sharing a task file, the PIO data-port state machine, and the hand-off
// of READ DMA data to the bus master. Commands complete synchronously, so BSY is only seen during a
// software reset.
#include "devices/ide/disk_drive.hpp"
#include "devices/ide/pio_transfer.hpp"
#include "devices/ide/registers.hpp"
#include "devices/ide/task_file.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace devices::ide {

/// A READ DMA whose data waits for the bus master.
struct DmaRequest {
  bool pending = false;
  uint8_t drive = 0;
  std::vector<uint8_t> data;
};

class Channel {
 public:
  Channel(std::optional<DiskDrive> master, std::optional<DiskDrive> slave);

  /// Command block registers other than the data port.
  uint8_t read_register(TaskFileOffset offset);
  void write_register(TaskFileOffset offset, uint8_t value);

  /// The data port moves 1, 2 or 4 bytes per access.
  [[gnu::noinline]] uint32_t read_data_port(unsigned bytes);
  [[gnu::noinline]] void write_data_port(unsigned bytes, uint32_t value);

  /// Control block: alternate status on read (does not acknowledge INTRQ), device control on write.
  uint8_t read_alternate_status();
  void write_device_control(uint8_t value);

  /// Hardware reset: drives, task file and transfer state back to power-on.
  void reset();

  /// INTRQ as the interrupt controller sees it (masked by nIEN).
  bool irq_line() const;
  /// True once each time the selected device raised INTRQ; the bus master latches it.
  bool take_interrupt_edge();

  std::span<const uint8_t> dma_data() const { return dma.data; }
  /// Ends the pending READ DMA once the bus master has moved (or failed to move) its data.
  void complete_dma(bool success);

  std::array<std::optional<DiskDrive>, 2> drives;
  TaskFile task_file;
  uint8_t selected_drive = 0;
  PioTransfer pio;
  DmaRequest dma;
  bool interrupt_pending = false;

 private:
  DiskDrive* selected();
  bool empty() const;
  void raise_interrupt();
  void load_signature();
  void begin_software_reset();
  void finish_software_reset();

  // PIO state machine (channel.cpp).
  void start_data_in(std::unique_ptr<uint8_t[]> buffer, uint32_t length, uint32_t block_size);
  void start_data_out(std::unique_ptr<uint8_t[]> buffer, uint32_t length, uint32_t block_size);
  void end_transfer();
  void data_in_block_done();
  void data_out_block_done();
  void write_sector_block(HardDrive& drive);

  // Command execution: dispatch and the ATA commands of a hard drive (channel_commands.cpp).
  void execute_command(uint8_t opcode);
  void execute_ata_command(HardDrive& drive, uint8_t opcode);
  void ata_identify_device(HardDrive& drive);
  void ata_read_sectors(HardDrive& drive);
  void ata_write_sectors(HardDrive& drive);
  void ata_read_dma(HardDrive& drive);
  void ata_set_features(HardDrive& drive);
  void complete_ata(HardDrive& drive);
  void fail_ata(HardDrive& drive, uint8_t error_bits);

  // The ATA commands of a packet device and the PACKET protocol (channel_packet.cpp).
  void execute_atapi_command(OpticalDrive& drive, uint8_t opcode);
  void atapi_identify_packet_device(OpticalDrive& drive);
  void atapi_identify_device(OpticalDrive& drive);
  void atapi_set_features(OpticalDrive& drive);
  void start_packet(OpticalDrive& drive);
  void execute_packet(OpticalDrive& drive);
  void complete_packet(OpticalDrive& drive);
  void abort_atapi(OpticalDrive& drive);
  void set_interrupt_reason(OpticalDrive& drive, uint8_t bits);
  void set_atapi_byte_count(uint32_t count);

  bool m_interrupt_edge = false;
};

}  // namespace devices::ide
