#pragma once
// Text a fuzz target controls (file names, panic and abort messages, stderr, strings in its memory) is
// bytes, not UTF-8. The model's text is made valid where it enters (analyze, records); channels between
// triage's own processes carry bytes losslessly.
#include <string>
#include <string_view>

namespace triage::core {

/// Bytes that are not valid UTF-8 replaced by U+FFFD; valid text unchanged.
std::string valid_utf8(std::string_view s);

/// Any bytes as valid UTF-8, losslessly: each byte >= 0x80 becomes the code point of the same value
/// (Latin-1). For JSON messages between triage processes, which must carry file names exactly.
std::string bytes_to_utf8(std::string_view bytes);
/// The inverse of bytes_to_utf8 (code points above U+00FF, which it never writes, become '?').
std::string utf8_to_bytes(std::string_view text);

}  // namespace triage::core
