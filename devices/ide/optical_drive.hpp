#pragma once
// An ATAPI optical drive: it takes SCSI command descriptor blocks through the ATA PACKET command. The tray
// holds a Media or is empty (media == nullptr).
#include "devices/ide/identify.hpp"
#include "devices/ide/media.hpp"
#include "devices/ide/registers.hpp"
#include "devices/ide/scsi.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace devices::ide {

/// The registers an ATAPI device reports itself.
struct OpticalDriveRegs {
  StatusReg status{};
  AtapiErrorReg error{};
  InterruptReasonReg interrupt_reason{};
};

class OpticalDrive {
 public:
  explicit OpticalDrive(std::unique_ptr<Media> disc);

  /// Hardware or software reset. A packet device leaves DRDY clear until it gets a command.
  void reset();

  StatusReg& status() { return regs.status; }
  const StatusReg& status() const { return regs.status; }
  uint8_t error_bits() const { return regs.error.bits; }

  IdentifyBytes identify_packet() const;

  /// Executes one packet command. True: GOOD status, `data` holds what the host reads (maybe nothing).
  /// False: CHECK CONDITION, `sense` says why.
  bool execute_cdb(const Cdb& cdb, std::vector<uint8_t>& data);

  OpticalDriveRegs regs;
  std::unique_ptr<Media> media;
  SenseData sense;

 private:
  bool fail(SenseKey key, uint8_t additional_sense_code);
  bool test_unit_ready(const Cdb& cdb, std::vector<uint8_t>& data);
  bool request_sense(const Cdb& cdb, std::vector<uint8_t>& data);
  [[gnu::noinline]] bool inquiry(const Cdb& cdb, std::vector<uint8_t>& data);
  // UBSan's null check stays out of read10 so its null dereference reaches triage as the SIGSEGV it is.
  [[gnu::noinline, clang::no_sanitize("null")]] bool read10(const Cdb& cdb, std::vector<uint8_t>& data);
};

}  // namespace devices::ide
