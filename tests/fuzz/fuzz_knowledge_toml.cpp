// TOML knowledge files a user supplies: register schemas (then decoding raw values with them), wrapper
// rules and frame ignore lists. The first byte picks the kind; the rest is the file.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "triage/core/frame_filter.hpp"
#include "triage/core/register_schema.hpp"
#include "triage/core/wrapper_rules.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace triage::core;
  if (size == 0) {
    return 0;
  }
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      if (auto schema = parse_device_schema(text, "fuzz.toml")) {
        for (const auto& reg : schema->registers) {
          for (uint64_t raw : {uint64_t{0}, uint64_t{0x58}, ~uint64_t{0}, uint64_t{size}}) {
            (void)decode_register(reg, raw);
          }
        }
      }
      break;
    case 1:
      (void)parse_wrapper_rules(text, "fuzz.toml");
      break;
    default:
      if (auto ignore = parse_ignore_list(text, "fuzz.toml")) {
        std::vector<Frame> frames(3);
        frames[0].function = "core::panicking::panic_fmt";
        frames[1].function = "std::vector<int>::at(unsigned long)";
        frames[1].file = "/usr/include/c++/12/bits/stl_vector.h";
        frames[2].function = "ide::Channel::write_command";
        (void)filter_frames(frames, *ignore);
      }
      break;
  }
  return 0;
}
