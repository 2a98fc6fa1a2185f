// libFuzzer harness for the ACPI battery: a fresh device per input driven by ActionStream actions
// on its sixteen ports. Ticks are scaled to match the other chipset harnesses; memory writes have
// no meaning for the battery and are skipped.
#include "devices/battery/battery.hpp"
#include "devices/common/closeable_mutex.hpp"
#include "fuzz_targets/common/action_stream.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace {

constexpr std::array<uint16_t, 16> k_ports = {0x400, 0x401, 0x402, 0x403, 0x404, 0x405, 0x406, 0x407,
                                              0x408, 0x409, 0x40a, 0x40b, 0x40c, 0x40d, 0x40e, 0x40f};
/// Microseconds per tick unit: a 2-byte tick value covers up to ~4.2 s.
constexpr uint64_t k_tick_scale = 64;

}  // namespace

/// The device of the input being run; keeps a root for triage when -O1 drops the local.
std::shared_ptr<devices::CloseableMutex<devices::battery::Battery>> g_battery_device;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  g_battery_device.reset();
  auto battery_device = std::make_shared<devices::CloseableMutex<devices::battery::Battery>>();
  g_battery_device = battery_device;

  fuzz_targets::ActionStream stream({data, size});
  while (const auto action = stream.next()) {
    auto battery = battery_device->lock();
    const uint16_t port = k_ports[action->port_index % k_ports.size()];
    switch (action->kind) {
      case fuzz_targets::ActionKind::read:
        static_cast<void>(battery->io_read(port, action->width));
        break;
      case fuzz_targets::ActionKind::write:
        battery->io_write(port, action->width, action->value);
        break;
      case fuzz_targets::ActionKind::reset:
        battery->reset();
        break;
      case fuzz_targets::ActionKind::tick:
        battery->tick(uint64_t{action->value} * k_tick_scale);
        break;
      case fuzz_targets::ActionKind::memory_write:
        break;
    }
  }
  return 0;
}
