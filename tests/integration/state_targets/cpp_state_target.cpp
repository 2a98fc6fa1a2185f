// A C++ libFuzzer target whose device state sits behind what C++ device models use: weak_ptr,
// std::atomic, deque, map, unordered_map, string, span. An input starting with 'a' aborts in
// StateDevice::check with the state in `this`; the state test reads it back (accuracy_test.cpp,
// schema state_target.toml).
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

namespace state_target {

struct Status {
  uint8_t bits = 0;
};

struct Regs {
  Status status;
};

struct StateDevice {
  Regs regs{{0x11}};
  std::shared_ptr<Regs> strong = std::make_shared<Regs>(Regs{{0x44}});
  std::weak_ptr<Regs> weak = strong;
  std::atomic<uint32_t> counter{42};
  std::atomic<bool> flag{true};
  std::deque<int> queue{7, 8, 9};
  std::map<int, int> tree{{1, 10}, {2, 20}, {3, 30}, {4, 40}};
  std::unordered_map<int, int> table{{1, 100}, {2, 200}, {3, 300}, {4, 400}, {5, 500}};
  std::string name = "state device with a name longer than the small-string buffer";
  std::vector<Regs> bank{Regs{{0x61}}, Regs{{0x62}}};
  std::span<Regs> window{bank};

  [[gnu::noinline]] void check(const uint8_t* data) {
    counter.fetch_add(1);
    if (data[0] == 'a') {
      std::abort();
    }
  }
};

}  // namespace state_target

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) {
    return 0;
  }
  state_target::StateDevice device;
  device.check(data);
  return 0;
}
