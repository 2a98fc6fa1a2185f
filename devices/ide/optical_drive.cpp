#include "devices/ide/optical_drive.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cassert>
#include <cstring>

namespace devices::ide {

OpticalDrive::OpticalDrive(std::unique_ptr<Media> disc) : media(std::move(disc)) { reset(); }

void OpticalDrive::reset() {
  regs.status.bits = 0;
  regs.error.bits = ErrorReg::k_diagnostic_passed;
  regs.interrupt_reason.bits = 0;
  sense = SenseData{};
}

IdentifyBytes OpticalDrive::identify_packet() const {
  namespace w = identify_word;
  IdentifyData id{};
  // ATAPI, CD/DVD device type, removable, DRQ within 3 ms, 12-byte packets.
  id[w::k_general_config] = 0x8580;
  put_ata_string(id, w::k_serial_number, 10, "TRIAGE-CD-0001");
  put_ata_string(id, w::k_firmware_revision, 4, "1.0");
  put_ata_string(id, w::k_model_number, 20, "triage emulated ATAPI CD-ROM");
  id[w::k_capabilities] = 0x0200;    // LBA; no DMA, packets move by PIO only
  id[w::k_field_validity] = 0x0006;  // words 64-70 and 88 are valid
  id[w::k_pio_modes] = 0x0003;
  id[w::k_major_version] = 0x00f0;
  return to_bytes(id);
}

bool OpticalDrive::execute_cdb(const Cdb& cdb, std::vector<uint8_t>& data) {
  struct PacketCommand {
    ScsiOpcode opcode;
    bool (OpticalDrive::*execute)(const Cdb&, std::vector<uint8_t>&);
  };
  static constexpr std::array<PacketCommand, 4> k_commands{{
      {ScsiOpcode::test_unit_ready, &OpticalDrive::test_unit_ready},
      {ScsiOpcode::request_sense, &OpticalDrive::request_sense},
      {ScsiOpcode::inquiry, &OpticalDrive::inquiry},
      {ScsiOpcode::read10, &OpticalDrive::read10},
  }};
  data.clear();
  // Sense data describes the previous command until REQUEST SENSE has fetched it.
  if (cdb[0] != static_cast<uint8_t>(ScsiOpcode::request_sense)) {
    sense = SenseData{};
  }
  // Unrolled, so every row is a comparison of its own: a fuzzer's value profile then steers towards
  // each opcode separately.
#pragma clang loop unroll(full)
  for (const PacketCommand& command : k_commands) {
    if (static_cast<uint8_t>(command.opcode) == cdb[0]) {
      return (this->*command.execute)(cdb, data);
    }
  }
  return fail(SenseKey::illegal_request, asc::k_invalid_command_operation_code);
}

bool OpticalDrive::fail(SenseKey key, uint8_t additional_sense_code) {
  sense = SenseData{key, additional_sense_code, 0};
  return false;
}

bool OpticalDrive::test_unit_ready(const Cdb& /*cdb*/, std::vector<uint8_t>& /*data*/) {
  if (!media) {
    return fail(SenseKey::not_ready, asc::k_medium_not_present);
  }
  return true;
}

bool OpticalDrive::request_sense(const Cdb& cdb, std::vector<uint8_t>& data) {
  std::array<uint8_t, k_fixed_sense_size> fixed{};
  fixed[0] = 0x70;  // current error, fixed format
  fixed[2] = static_cast<uint8_t>(sense.key);
  fixed[7] = k_fixed_sense_size - 8;  // additional sense length
  fixed[12] = sense.asc;
  fixed[13] = sense.ascq;
  const size_t allocation_length = std::min<size_t>(cdb[4], fixed.size());
  data.assign(fixed.begin(), fixed.begin() + static_cast<std::ptrdiff_t>(allocation_length));
  sense = SenseData{};
  return true;
}

bool OpticalDrive::inquiry(const Cdb& cdb, std::vector<uint8_t>& data) {
  if ((cdb[1] & 0x01) != 0) {  // EVPD: no vital product data pages
    return fail(SenseKey::illegal_request, asc::k_invalid_field_in_cdb);
  }
  const uint16_t allocation_length = cdb_u16(cdb, 3);
  // PLANTED BUG IDE-07: asserts on the guest-controlled allocation length; real guests ask for up to 255
  // bytes.
  assert(allocation_length <= sizeof(InquiryData));
  const auto bytes = std::bit_cast<std::array<uint8_t, sizeof(InquiryData)>>(InquiryData{});
  const size_t length = std::min<size_t>(allocation_length, bytes.size());
  data.assign(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(length));
  return true;
}

bool OpticalDrive::read10(const Cdb& cdb, std::vector<uint8_t>& data) {
  const uint32_t lba = cdb_u32(cdb, 2);
  const uint32_t blocks = cdb_u16(cdb, 7);
  // PLANTED BUG IDE-04: no empty-tray check (TEST UNIT READY has one); with no disc `media` is null here.
  const uint32_t capacity = media->block_count;
  if (lba > capacity || blocks > capacity - lba) {
    return fail(SenseKey::illegal_request, asc::k_lba_out_of_range);
  }
  if (blocks == 0) {
    return true;
  }
  data.resize(size_t{blocks} * Media::k_sector_size);
  std::memcpy(data.data(), media->image.data() + size_t{lba} * Media::k_sector_size, data.size());
  return true;
}

}  // namespace devices::ide
