#include "triage/core/utf8.hpp"

namespace triage::core {
namespace {

/// Length of the valid UTF-8 sequence at the start of `s` (0 when invalid): no overlongs, no
/// surrogates, nothing above U+10FFFF.
size_t utf8_sequence_length(std::string_view s) {
  const auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  const auto cont = [&](size_t i) { return i < s.size() && (b(i) & 0xc0) == 0x80; };
  const unsigned char c = b(0);
  if (c < 0x80) {
    return 1;
  }
  if (c >= 0xc2 && c <= 0xdf) {
    return cont(1) ? 2 : 0;
  }
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2) || (c == 0xe0 && b(1) < 0xa0) || (c == 0xed && b(1) > 0x9f)) {
      return 0;
    }
    return 3;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3) || (c == 0xf0 && b(1) < 0x90) || (c == 0xf4 && b(1) > 0x8f)) {
      return 0;
    }
    return 4;
  }
  return 0;
}

}  // namespace

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  while (!s.empty()) {
    const size_t n = utf8_sequence_length(s);
    if (n == 0) {
      out += "\xef\xbf\xbd";  // U+FFFD
      s.remove_prefix(1);
    } else {
      out.append(s.substr(0, n));
      s.remove_prefix(n);
    }
  }
  return out;
}

std::string bytes_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (const unsigned char c : bytes) {
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else {
      out += static_cast<char>(0xc0 | (c >> 6));
      out += static_cast<char>(0x80 | (c & 0x3f));
    }
  }
  return out;
}

std::string utf8_to_bytes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if ((c == 0xc2 || c == 0xc3) && i + 1 < text.size()) {
      out += static_cast<char>(((c & 0x03) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3f));
      ++i;
    } else if ((c & 0xc0) != 0x80) {
      out += '?';
    }
  }
  return out;
}

}  // namespace triage::core
