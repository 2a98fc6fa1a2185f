// libFuzzer harness for the CMOS RTC: a fresh chip per input driven by ActionStream actions on its
// two ports. Ticks are scaled so one action can span several update cycles (an update needs a whole
// second of guest time); memory writes have no meaning for the RTC and are skipped.
#include "devices/common/closeable_mutex.hpp"
#include "devices/rtc/cmos_rtc.hpp"
#include "fuzz_targets/common/action_stream.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace {

constexpr std::array<uint16_t, 2> k_ports = {devices::rtc::CmosRtc::k_index_port,
                                             devices::rtc::CmosRtc::k_data_port};
/// Microseconds per tick unit: a 2-byte tick value covers up to ~4.2 s.
constexpr uint64_t k_tick_scale = 64;

}  // namespace

/// The device of the input being run; keeps a root for triage when -O1 drops the local.
std::shared_ptr<devices::CloseableMutex<devices::rtc::CmosRtc>> g_rtc_device;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  g_rtc_device.reset();
  auto rtc_device = std::make_shared<devices::CloseableMutex<devices::rtc::CmosRtc>>();
  g_rtc_device = rtc_device;

  fuzz_targets::ActionStream stream({data, size});
  while (const auto action = stream.next()) {
    auto rtc = rtc_device->lock();
    const uint16_t port = k_ports[action->port_index % k_ports.size()];
    switch (action->kind) {
      case fuzz_targets::ActionKind::read:
        static_cast<void>(rtc->io_read(port, action->width));
        break;
      case fuzz_targets::ActionKind::write:
        rtc->io_write(port, action->width, action->value);
        break;
      case fuzz_targets::ActionKind::reset:
        rtc->reset();
        break;
      case fuzz_targets::ActionKind::tick:
        rtc->tick(uint64_t{action->value} * k_tick_scale);
        break;
      case fuzz_targets::ActionKind::memory_write:
        break;
    }
  }
  return 0;
}
