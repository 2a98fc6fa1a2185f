#include "devices/ide/identify.hpp"

namespace devices::ide {

void put_ata_string(IdentifyData& data, size_t first_word, size_t word_count, std::string_view text) {
  for (size_t i = 0; i < word_count && first_word + i < data.size(); ++i) {
    const size_t at = 2 * i;
    const auto first = static_cast<uint8_t>(at < text.size() ? text[at] : ' ');
    const auto second = static_cast<uint8_t>(at + 1 < text.size() ? text[at + 1] : ' ');
    // The first character of each pair goes into the high byte.
    data[first_word + i] = static_cast<uint16_t>((uint32_t{first} << 8) | second);
  }
}

void put_dword(IdentifyData& data, size_t first_word, uint32_t value) {
  data[first_word] = static_cast<uint16_t>(value & 0xffffu);
  data[first_word + 1] = static_cast<uint16_t>(value >> 16);
}

IdentifyBytes to_bytes(const IdentifyData& data) {
  IdentifyBytes bytes{};
  for (size_t i = 0; i < data.size(); ++i) {
    bytes[2 * i] = static_cast<uint8_t>(data[i] & 0xffu);
    bytes[2 * i + 1] = static_cast<uint8_t>(data[i] >> 8);
  }
  return bytes;
}

}  // namespace devices::ide
