#pragma once
// The SCSI side of ATAPI: command descriptor block opcodes, sense data and the standard INQUIRY
// response (SPC-3, MMC).
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace devices::ide {

/// ATAPI packets are 12 bytes.
inline constexpr size_t k_cdb_size = 12;
using Cdb = std::array<uint8_t, k_cdb_size>;

enum class ScsiOpcode : uint8_t {
  test_unit_ready = 0x00,
  request_sense = 0x03,
  inquiry = 0x12,
  read10 = 0x28,
};

enum class SenseKey : uint8_t {
  no_sense = 0x0,
  not_ready = 0x2,
  medium_error = 0x3,
  illegal_request = 0x5,
  unit_attention = 0x6,
};

/// Additional sense codes (ASC) this drive reports.
namespace asc {
inline constexpr uint8_t k_none = 0x00;
inline constexpr uint8_t k_invalid_command_operation_code = 0x20;
inline constexpr uint8_t k_lba_out_of_range = 0x21;
inline constexpr uint8_t k_invalid_field_in_cdb = 0x24;
inline constexpr uint8_t k_medium_not_present = 0x3a;
}  // namespace asc

/// The sense data of the last command, as REQUEST SENSE returns it.
struct SenseData {
  SenseKey key = SenseKey::no_sense;
  uint8_t asc = asc::k_none;
  uint8_t ascq = 0;
};

/// Fixed-format sense data is 18 bytes.
inline constexpr size_t k_fixed_sense_size = 18;

/// Standard INQUIRY data (SPC-3 table 83): 36 bytes.
struct InquiryData {
  uint8_t peripheral_device_type = 0x05;  ///< CD/DVD device
  uint8_t removable = 0x80;
  uint8_t version = 0x00;
  uint8_t response_data_format = 0x21;  ///< ATAPI, format 1
  uint8_t additional_length = 31;       ///< bytes after this one
  std::array<uint8_t, 3> flags{};
  std::array<char, 8> vendor{'T', 'R', 'I', 'A', 'G', 'E', ' ', ' '};
  std::array<char, 16> product{'E', 'M', 'U', 'L', 'A', 'T', 'E', 'D',
                               ' ', 'C', 'D', '-', 'R', 'O', 'M', ' '};
  std::array<char, 4> revision{'1', '.', '0', ' '};
};
static_assert(sizeof(InquiryData) == 36);

/// Big-endian fields of a CDB.
constexpr uint16_t cdb_u16(std::span<const uint8_t, k_cdb_size> cdb, size_t at) {
  return static_cast<uint16_t>((uint32_t{cdb[at]} << 8) | cdb[at + 1]);
}
constexpr uint32_t cdb_u32(std::span<const uint8_t, k_cdb_size> cdb, size_t at) {
  return (uint32_t{cdb[at]} << 24) | (uint32_t{cdb[at + 1]} << 16) | (uint32_t{cdb[at + 2]} << 8) |
         cdb[at + 3];
}

}  // namespace devices::ide
