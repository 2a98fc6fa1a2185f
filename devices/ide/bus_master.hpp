#pragma once
// Bus-master IDE DMA engine of one channel (PIIX style): command, status and PRD table address registers,
// and the walk of the physical region descriptor table that scatters READ DMA data into guest memory.
#include "devices/ide/guest_memory.hpp"
#include "devices/ide/registers.hpp"

#include <cstdint>
#include <optional>
#include <span>

namespace devices::ide {

/// Register offsets within a channel's 8-byte slice of the bus-master BAR.
enum class BusMasterOffset : uint8_t {
  command = 0,
  status = 2,
  prd_table_address = 4,  ///< 4 bytes, 4-7
};

/// One physical region descriptor: 8 bytes in guest memory.
struct PrdEntry {
  static constexpr uint32_t k_size = 8;
  static constexpr uint8_t k_end_of_table = 0x80;  ///< in the last byte

  uint32_t address = 0;
  uint32_t byte_count = 0;  ///< 0 in the table means 64 KiB
  bool end_of_table = false;
};

enum class DmaOutcome : uint8_t {
  complete,         ///< all data moved
  table_too_short,  ///< the PRD table ended before the data
  bus_error,        ///< a descriptor or a target address was not guest RAM
};

class BusMaster {
 public:
  uint8_t read_register(uint8_t offset) const;
  void write_register(uint8_t offset, uint8_t value);

  /// Started, pointed device-to-memory, and not yet finished.
  bool running_to_memory() const {
    return command.has(BusMasterCommandReg::k_start) && command.has(BusMasterCommandReg::k_read) &&
           status.active != 0;
  }

  /// Moves `data` into guest memory as the PRD table directs and updates ACTIVE/ERROR.
  DmaOutcome transfer_to_guest(GuestMemory& memory, std::span<const uint8_t> data);

  void reset();

  BusMasterCommandReg command{};
  BusMasterStatusReg status{};
  uint32_t prd_table_address = 0;

 private:
  std::optional<PrdEntry> read_prd(const GuestMemory& memory, uint32_t address) const;
  [[gnu::noinline]] bool copy_to_guest(GuestMemory& memory, uint32_t address, const uint8_t* src,
                                       uint32_t length);
};

}  // namespace devices::ide
