#pragma once
// The PIO side of a command in flight: what the data port moves next, and where to.
#include <cstdint>
#include <memory>

namespace devices::ide {

enum class PioPhase : uint8_t {
  idle,
  data_in,     ///< the host reads the buffer (IDENTIFY, READ SECTORS, ATAPI data)
  data_out,    ///< the host fills the buffer (WRITE SECTORS)
  packet_cdb,  ///< the host writes the 12-byte ATAPI command packet
};

struct PioTransfer {
  PioPhase phase = PioPhase::idle;
  uint8_t drive = 0;  ///< the drive the transfer belongs to; the data port answers only when it is selected
  std::unique_ptr<uint8_t[]> buffer;
  uint32_t position = 0;            ///< bytes moved through the data port so far
  uint32_t length = 0;              ///< bytes the command moves in total
  uint32_t block_size = 0;          ///< bytes per DRQ block: a sector for ATA, the byte count limit for ATAPI
  uint32_t block_end = 0;           ///< position at which the current DRQ block ends
  uint32_t lba = 0;                 ///< WRITE SECTORS: the sector the next completed block goes to
  uint16_t byte_count_limit = 0;    ///< PACKET: the host's limit from LBA mid/high
  uint8_t* write_cursor = nullptr;  ///< data-out and packet phases: where the next data-port write lands
};

}  // namespace devices::ide
