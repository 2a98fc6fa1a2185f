#include "devices/ide/ide_controller.hpp"

#include <optional>

namespace devices::ide {

namespace {

constexpr std::array<PortRange, 5> k_port_ranges{{
    {IdeController::k_primary_command_base, 8},
    {IdeController::k_primary_control, 1},
    {IdeController::k_secondary_command_base, 8},
    {IdeController::k_secondary_control, 1},
    {IdeController::k_bus_master_base, 2 * IdeController::k_bus_master_channel_size},
}};

std::optional<DiskDrive> make_drive(DriveConfig config) {
  switch (config) {
    case DriveConfig::none:
      return std::nullopt;
    case DriveConfig::hard_drive:
      return DiskDrive{std::in_place_type<HardDrive>};
    case DriveConfig::optical_with_disc:
      return DiskDrive{std::in_place_type<OpticalDrive>, Media::make_test_disc()};
    case DriveConfig::optical_empty:
      return DiskDrive{std::in_place_type<OpticalDrive>, nullptr};
  }
  return std::nullopt;
}

/// Where a port lands: a channel's command block or control register, or a bus-master register.
struct PortTarget {
  enum class Kind : uint8_t { none, command_block, control, bus_master } kind = Kind::none;
  size_t channel = 0;
  uint8_t offset = 0;
};

static_assert((IdeController::k_secondary_control & 0x7u) == (IdeController::k_primary_control & 0x7u));

PortTarget decode_port(uint16_t port) {
  // Decode the aligned 8-port block first, as the chipset's address decoder does, then the register.
  constexpr uint16_t k_block_mask = 0xfff8;
  const auto offset = static_cast<uint8_t>(port & 0x7u);
  const auto control_offset = static_cast<uint8_t>(IdeController::k_primary_control & 0x7u);
  switch (port & k_block_mask) {
    case IdeController::k_primary_command_base:
      return {PortTarget::Kind::command_block, 0, offset};
    case IdeController::k_secondary_command_base:
      return {PortTarget::Kind::command_block, 1, offset};
    case IdeController::k_primary_control & k_block_mask:
      return offset == control_offset ? PortTarget{PortTarget::Kind::control, 0, 0} : PortTarget{};
    case IdeController::k_secondary_control & k_block_mask:
      return offset == control_offset ? PortTarget{PortTarget::Kind::control, 1, 0} : PortTarget{};
    case IdeController::k_bus_master_base:
      return {PortTarget::Kind::bus_master, 0, offset};
    case IdeController::k_bus_master_base + IdeController::k_bus_master_channel_size:
      return {PortTarget::Kind::bus_master, 1, offset};
    default:
      return {};
  }
}

}  // namespace

IdeController::IdeController(const DriveConfigs& configs)
    : channels{Channel{make_drive(configs[0]), make_drive(configs[1])},
               Channel{make_drive(configs[2]), make_drive(configs[3])}},
      guest_memory(std::make_unique<GuestMemory>()) {}

std::span<const PortRange> IdeController::port_ranges() const { return k_port_ranges; }

void IdeController::reset() {
  // Guest RAM and the disks' contents are not device state: they survive.
  for (auto& channel : channels) {
    channel.reset();
  }
  for (auto& bus_master : bus_masters) {
    bus_master.reset();
  }
}

void IdeController::tick(uint64_t /*ticks*/) {}

void IdeController::write_guest_memory(uint32_t offset, std::span<const uint8_t> data) {
  guest_memory->store_clamped(offset, data);
}

uint32_t IdeController::io_read(uint16_t port, AccessWidth width) {
  const auto bytes = static_cast<unsigned>(width);
  const PortTarget target = decode_port(port);
  if (target.kind == PortTarget::Kind::command_block && target.offset == 0) {
    const uint32_t value = channels[target.channel].read_data_port(bytes);
    service_channel(target.channel);
    return value;
  }
  // Everything but the data port is byte-wide: a wider access reads consecutive ports.
  uint32_t value = 0;
  for (unsigned i = 0; i < bytes; ++i) {
    value |= uint32_t{read_byte(static_cast<uint16_t>(port + i))} << (8 * i);
  }
  return value;
}

void IdeController::io_write(uint16_t port, AccessWidth width, uint32_t value) {
  const auto bytes = static_cast<unsigned>(width);
  value = mask_to_width(value, width);
  const PortTarget target = decode_port(port);
  if (target.kind == PortTarget::Kind::command_block && target.offset == 0) {
    channels[target.channel].write_data_port(bytes, value);
    service_channel(target.channel);
    return;
  }
  for (unsigned i = 0; i < bytes; ++i) {
    write_byte(static_cast<uint16_t>(port + i), static_cast<uint8_t>(value >> (8 * i)));
  }
}

uint8_t IdeController::read_byte(uint16_t port) {
  const PortTarget target = decode_port(port);
  uint8_t value = 0xff;
  switch (target.kind) {
    case PortTarget::Kind::none:
      return value;  // not ours: the bus floats
    case PortTarget::Kind::command_block:
      value = channels[target.channel].read_register(static_cast<TaskFileOffset>(target.offset));
      break;
    case PortTarget::Kind::control:
      value = channels[target.channel].read_alternate_status();
      break;
    case PortTarget::Kind::bus_master:
      value = bus_masters[target.channel].read_register(target.offset);
      break;
  }
  service_channel(target.channel);
  return value;
}

void IdeController::write_byte(uint16_t port, uint8_t value) {
  const PortTarget target = decode_port(port);
  switch (target.kind) {
    case PortTarget::Kind::none:
      return;
    case PortTarget::Kind::command_block:
      channels[target.channel].write_register(static_cast<TaskFileOffset>(target.offset), value);
      break;
    case PortTarget::Kind::control:
      channels[target.channel].write_device_control(value);
      break;
    case PortTarget::Kind::bus_master:
      bus_masters[target.channel].write_register(target.offset, value);
      break;
  }
  service_channel(target.channel);
}

void IdeController::service_channel(size_t index) {
  Channel& channel = channels[index];
  BusMaster& bus_master = bus_masters[index];
  if (channel.dma.pending && bus_master.running_to_memory()) {
    const DmaOutcome outcome = bus_master.transfer_to_guest(*guest_memory, channel.dma_data());
    channel.complete_dma(outcome == DmaOutcome::complete);
  }
  if (channel.take_interrupt_edge()) {
    bus_master.status.interrupt = 1;
  }
}

}  // namespace devices::ide
