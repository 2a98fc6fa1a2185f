#pragma once
// A drive on an IDE channel is one of the drive kinds; the channel holds std::optional<DiskDrive> per slot.
#include "devices/ide/hard_drive.hpp"
#include "devices/ide/optical_drive.hpp"

#include <cstdint>
#include <variant>

namespace devices::ide {

using DiskDrive = std::variant<HardDrive, OpticalDrive>;

inline StatusReg& drive_status(DiskDrive& drive) {
  if (auto* hard_drive = std::get_if<HardDrive>(&drive)) {
    return hard_drive->status();
  }
  return std::get_if<OpticalDrive>(&drive)->status();
}

inline uint8_t drive_error_bits(const DiskDrive& drive) {
  if (const auto* hard_drive = std::get_if<HardDrive>(&drive)) {
    return hard_drive->error_bits();
  }
  return std::get_if<OpticalDrive>(&drive)->error_bits();
}

inline void reset_drive(DiskDrive& drive) {
  if (auto* hard_drive = std::get_if<HardDrive>(&drive)) {
    hard_drive->reset();
  } else if (auto* optical_drive = std::get_if<OpticalDrive>(&drive)) {
    optical_drive->reset();
  }
}

inline bool is_packet_device(const DiskDrive& drive) { return std::holds_alternative<OpticalDrive>(drive); }

}  // namespace devices::ide
