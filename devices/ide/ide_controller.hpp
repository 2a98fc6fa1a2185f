#pragma once
// A PIIX-style IDE controller: two legacy channels (0x1f0-0x1f7 + 0x3f6, 0x170-0x177 + 0x376), each with
// up to two drives, and the bus-master DMA BAR at 0xc000-0xc00f. The root of the device state triage walks.
#include "devices/common/io_device.hpp"
#include "devices/ide/bus_master.hpp"
#include "devices/ide/channel.hpp"
#include "devices/ide/guest_memory.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace devices::ide {

/// What sits in a drive slot when the controller is built.
enum class DriveConfig : uint8_t {
  none,
  hard_drive,
  optical_with_disc,
  optical_empty,  ///< an optical drive whose tray is empty
};

/// Slots in order: primary master, primary slave, secondary master, secondary slave.
using DriveConfigs = std::array<DriveConfig, 4>;

class IdeController final : public IoDevice {
 public:
  static constexpr uint16_t k_primary_command_base = 0x1f0;
  static constexpr uint16_t k_primary_control = 0x3f6;
  static constexpr uint16_t k_secondary_command_base = 0x170;
  static constexpr uint16_t k_secondary_control = 0x376;
  static constexpr uint16_t k_bus_master_base = 0xc000;
  static constexpr uint16_t k_bus_master_channel_size = 8;

  explicit IdeController(const DriveConfigs& configs);

  std::string_view name() const override { return "ide"; }
  std::span<const PortRange> port_ranges() const override;
  uint32_t io_read(uint16_t port, AccessWidth width) override;
  void io_write(uint16_t port, AccessWidth width, uint32_t value) override;
  void reset() override;
  /// Commands and DMA complete synchronously, so time has nothing to advance.
  void tick(uint64_t ticks) override;

  /// A CPU store into guest RAM (see GuestMemory::store_clamped).
  void write_guest_memory(uint32_t offset, std::span<const uint8_t> data);

  std::array<Channel, 2> channels;
  std::unique_ptr<GuestMemory> guest_memory;
  std::array<BusMaster, 2> bus_masters;

 private:
  uint8_t read_byte(uint16_t port);
  void write_byte(uint16_t port, uint8_t value);
  /// Runs a READ DMA the bus master is ready for and latches the channel's interrupt.
  void service_channel(size_t index);
};

}  // namespace devices::ide
