// libFuzzer harness for the IDE/ATA controller. Input: one configuration byte (2 bits per drive slot:
// 0 none, 1 hard drive, 2 optical drive with a disc, 3 optical drive with an empty tray; slot 0 in the low
// bits), then fuzz_targets::ActionStream actions. Port indices map into k_ports; memory writes go to guest
// RAM. A fresh device per input, no I/O, no output.
#include "devices/common/closeable_mutex.hpp"
#include "devices/ide/ide_controller.hpp"
#include "fuzz_targets/common/action_stream.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace {

using IdeDevice = devices::CloseableMutex<devices::ide::IdeController>;

/// Every port the controller claims: both command blocks, both control registers, the bus-master BAR.
constexpr std::array<uint16_t, 34> k_ports{
    0x1f0,  0x1f1,  0x1f2,  0x1f3,  0x1f4,  0x1f5,  0x1f6,  0x1f7,  0x3f6,  0x170,  0x171,  0x172,
    0x173,  0x174,  0x175,  0x176,  0x177,  0x376,  0xc000, 0xc001, 0xc002, 0xc003, 0xc004, 0xc005,
    0xc006, 0xc007, 0xc008, 0xc009, 0xc00a, 0xc00b, 0xc00c, 0xc00d, 0xc00e, 0xc00f,
};

devices::ide::DriveConfigs drive_configs(uint8_t config) {
  devices::ide::DriveConfigs configs{};
  for (size_t slot = 0; slot < configs.size(); ++slot) {
    configs[slot] = static_cast<devices::ide::DriveConfig>((config >> (2 * slot)) & 0x3u);
  }
  return configs;
}

}  // namespace

/// The device of the input being run: a root for triage even where -O1 drops the local.
std::shared_ptr<IdeDevice> g_ide_device;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  g_ide_device.reset();
  fuzz_targets::ActionStream stream({data, size});
  auto ide_device = std::make_shared<IdeDevice>(drive_configs(stream.take_byte()));
  g_ide_device = ide_device;
  {
    auto controller = ide_device->lock();
    devices::IoDevice& device = *controller;
    while (const std::optional<fuzz_targets::Action> action = stream.next()) {
      const uint16_t port = k_ports[action->port_index % k_ports.size()];
      switch (action->kind) {
        case fuzz_targets::ActionKind::read:
          device.io_read(port, action->width);
          break;
        case fuzz_targets::ActionKind::write:
          device.io_write(port, action->width, action->value);
          break;
        case fuzz_targets::ActionKind::reset:
          device.reset();
          break;
        case fuzz_targets::ActionKind::tick:
          device.tick(action->value);
          break;
        case fuzz_targets::ActionKind::memory_write: {
          const std::array<uint8_t, 4> bytes{
              static_cast<uint8_t>(action->value), static_cast<uint8_t>(action->value >> 8),
              static_cast<uint8_t>(action->value >> 16), static_cast<uint8_t>(action->value >> 24)};
          controller->write_guest_memory(action->offset, bytes);
          break;
        }
      }
    }
  }
  return 0;
}
