// libFuzzer harness for a small PC chipset: the CMOS RTC (0x70-0x71), the COM1 UART
// (0x3F8-0x3FF) and the ACPI battery (0x400-0x40F) on one port bus. Port indices select from the
// union of their ports; reset and tick go to every device; a memory_write action stands for the
// host end of the serial line sending a byte to the UART. A fresh chipset per input.
#include "devices/battery/battery.hpp"
#include "devices/common/closeable_mutex.hpp"
#include "devices/rtc/cmos_rtc.hpp"
#include "devices/uart/uart.hpp"
#include "fuzz_targets/common/action_stream.hpp"
#include "fuzz_targets/cpp/chipset_bus.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace {

constexpr std::array<uint16_t, 26> k_ports = {
    0x070, 0x071,                                            // RTC
    0x3f8, 0x3f9, 0x3fa, 0x3fb, 0x3fc, 0x3fd, 0x3fe, 0x3ff,  // UART
    0x400, 0x401, 0x402, 0x403, 0x404, 0x405, 0x406, 0x407,  // battery
    0x408, 0x409, 0x40a, 0x40b, 0x40c, 0x40d, 0x40e, 0x40f,
};
/// Microseconds per tick unit: a 2-byte tick value covers up to ~4.2 s, enough for an RTC update.
constexpr uint64_t k_tick_scale = 64;

}  // namespace

/// The devices of the input being run; they keep roots for triage when -O1 drops the locals.
std::shared_ptr<devices::CloseableMutex<devices::rtc::CmosRtc>> g_rtc_device;
std::shared_ptr<devices::CloseableMutex<devices::uart::Uart>> g_uart_device;
std::shared_ptr<devices::CloseableMutex<devices::battery::Battery>> g_battery_device;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  g_rtc_device.reset();
  g_uart_device.reset();
  g_battery_device.reset();
  auto rtc_device = std::make_shared<devices::CloseableMutex<devices::rtc::CmosRtc>>();
  auto uart_device = std::make_shared<devices::CloseableMutex<devices::uart::Uart>>();
  auto battery_device = std::make_shared<devices::CloseableMutex<devices::battery::Battery>>();
  g_rtc_device = rtc_device;
  g_uart_device = uart_device;
  g_battery_device = battery_device;

  fuzz_targets::ChipsetBus bus;
  bus.attach(rtc_device);
  bus.attach(uart_device);
  bus.attach(battery_device);

  fuzz_targets::ActionStream stream({data, size});
  while (const auto action = stream.next()) {
    const uint16_t port = k_ports[action->port_index % k_ports.size()];
    switch (action->kind) {
      case fuzz_targets::ActionKind::read:
        static_cast<void>(bus.read(port, action->width));
        break;
      case fuzz_targets::ActionKind::write:
        bus.write(port, action->width, action->value);
        break;
      case fuzz_targets::ActionKind::reset:
        bus.reset_all();
        break;
      case fuzz_targets::ActionKind::tick:
        bus.tick_all(uint64_t{action->value} * k_tick_scale);
        break;
      case fuzz_targets::ActionKind::memory_write:
        uart_device->lock()->receive_byte(static_cast<uint8_t>(action->value));
        break;
    }
  }
  return 0;
}
