// libFuzzer harness for the 16550 UART: a fresh chip per input driven by ActionStream actions on
// its eight ports. A memory_write action stands for the host end of the serial line sending the
// low byte of its value (the UART has no guest memory), so the receiver is reachable without
// loopback. Ticks are scaled to match the other chipset harnesses.
#include "devices/common/closeable_mutex.hpp"
#include "devices/uart/uart.hpp"
#include "fuzz_targets/common/action_stream.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace {

constexpr std::array<uint16_t, 8> k_ports = {0x3f8, 0x3f9, 0x3fa, 0x3fb, 0x3fc, 0x3fd, 0x3fe, 0x3ff};
/// Microseconds per tick unit: a 2-byte tick value covers up to ~4.2 s.
constexpr uint64_t k_tick_scale = 64;

}  // namespace

/// The device of the input being run; keeps a root for triage when -O1 drops the local.
std::shared_ptr<devices::CloseableMutex<devices::uart::Uart>> g_uart_device;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  g_uart_device.reset();
  auto uart_device = std::make_shared<devices::CloseableMutex<devices::uart::Uart>>();
  g_uart_device = uart_device;

  fuzz_targets::ActionStream stream({data, size});
  while (const auto action = stream.next()) {
    auto uart = uart_device->lock();
    const uint16_t port = k_ports[action->port_index % k_ports.size()];
    switch (action->kind) {
      case fuzz_targets::ActionKind::read:
        static_cast<void>(uart->io_read(port, action->width));
        break;
      case fuzz_targets::ActionKind::write:
        uart->io_write(port, action->width, action->value);
        break;
      case fuzz_targets::ActionKind::reset:
        uart->reset();
        break;
      case fuzz_targets::ActionKind::tick:
        uart->tick(uint64_t{action->value} * k_tick_scale);
        break;
      case fuzz_targets::ActionKind::memory_write:
        uart->receive_byte(static_cast<uint8_t>(action->value));
        break;
    }
  }
  return 0;
}
