#include "devices/ide/bus_master.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace devices::ide {

uint8_t BusMaster::read_register(uint8_t offset) const {
  switch (offset) {
    case static_cast<uint8_t>(BusMasterOffset::command):
      return command.bits;
    case static_cast<uint8_t>(BusMasterOffset::status):
      return status.to_bits();
    case 4:
    case 5:
    case 6:
    case 7:
      return static_cast<uint8_t>(prd_table_address >> (8 * (offset - 4u)));
    default:
      return 0;  // reserved bytes read as zero
  }
}

void BusMaster::write_register(uint8_t offset, uint8_t value) {
  switch (offset) {
    case static_cast<uint8_t>(BusMasterOffset::command): {
      const bool was_started = command.has(BusMasterCommandReg::k_start);
      uint8_t bits = value & BusMasterCommandReg::k_writable;
      if (was_started) {
        // The direction must not change under a running engine; PIIX ignores such writes.
        bits = static_cast<uint8_t>((bits & BusMasterCommandReg::k_start) |
                                    (command.bits & BusMasterCommandReg::k_read));
      }
      command.bits = bits;
      const bool started = command.has(BusMasterCommandReg::k_start);
      if (started && !was_started) {
        status.active = 1;
      } else if (!started && was_started) {
        status.active = 0;  // the host aborted (or acknowledged) the transfer
      }
      return;
    }
    case static_cast<uint8_t>(BusMasterOffset::status):
      // ERROR and INTERRUPT are write-one-to-clear, the DMA-capable bits plain read/write.
      if ((value & BusMasterStatusReg::k_error) != 0) {
        status.error = 0;
      }
      if ((value & BusMasterStatusReg::k_interrupt) != 0) {
        status.interrupt = 0;
      }
      status.drive0_dma_capable = (value & BusMasterStatusReg::k_drive0_dma_capable) != 0 ? 1 : 0;
      status.drive1_dma_capable = (value & BusMasterStatusReg::k_drive1_dma_capable) != 0 ? 1 : 0;
      return;
    case 4:
    case 5:
    case 6:
    case 7: {
      const unsigned shift = 8 * (offset - 4u);
      const uint32_t replaced = (prd_table_address & ~(0xffu << shift)) | (uint32_t{value} << shift);
      prd_table_address = replaced & k_prd_table_address_mask;
      return;
    }
    default:
      return;
  }
}

void BusMaster::reset() {
  command = BusMasterCommandReg{};
  status = BusMasterStatusReg{};
  prd_table_address = 0;
}

std::optional<PrdEntry> BusMaster::read_prd(const GuestMemory& memory, uint32_t address) const {
  std::array<uint8_t, PrdEntry::k_size> raw{};
  if (!memory.read(address, raw)) {
    return std::nullopt;
  }
  PrdEntry entry;
  // Bit 0 of the address and of the count are reserved: regions are word aligned, whole words.
  entry.address =
      ((uint32_t{raw[3]} << 24) | (uint32_t{raw[2]} << 16) | (uint32_t{raw[1]} << 8) | raw[0]) & ~1u;
  const uint32_t count = ((uint32_t{raw[5]} << 8) | raw[4]) & ~1u;
  entry.byte_count = count == 0 ? 0x10000 : count;
  entry.end_of_table = (raw[7] & PrdEntry::k_end_of_table) != 0;
  return entry;
}

bool BusMaster::copy_to_guest(GuestMemory& memory, uint32_t address, const uint8_t* src, uint32_t length) {
  // PLANTED BUG IDE-03: only the start of the PRD region is checked; its byte count may run past the end of
  // guest RAM.
  if (address >= memory.size()) {
    return false;
  }
  std::memcpy(memory.bytes.data() + address, src, length);
  return true;
}

DmaOutcome BusMaster::transfer_to_guest(GuestMemory& memory, std::span<const uint8_t> data) {
  uint32_t entry_address = prd_table_address;
  size_t done = 0;
  while (done < data.size()) {
    const std::optional<PrdEntry> entry = read_prd(memory, entry_address);
    const uint32_t chunk =
        entry ? static_cast<uint32_t>(std::min<size_t>(entry->byte_count, data.size() - done)) : 0;
    if (!entry || !copy_to_guest(memory, entry->address, data.data() + done, chunk)) {
      // A master abort on the PCI side: the engine stops with ERROR set.
      status.error = 1;
      status.active = 0;
      return DmaOutcome::bus_error;
    }
    done += chunk;
    if (entry->end_of_table) {
      status.active = 0;
      return done == data.size() ? DmaOutcome::complete : DmaOutcome::table_too_short;
    }
    entry_address += PrdEntry::k_size;
  }
  // The drive ran out of data before the table did: PIIX leaves ACTIVE set until the host stops it.
  return DmaOutcome::complete;
}

}  // namespace devices::ide
