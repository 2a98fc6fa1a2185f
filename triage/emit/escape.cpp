#include "triage/emit/escape.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "triage/core/utf8.hpp"

namespace triage::emit {

std::string printable(std::string_view s, LineBreaks line_breaks) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (line_breaks == LineBreaks::keep && (c == '\n' || c == '\t')) {
      out += static_cast<char>(c);
    } else if (c >= 0x20 && c != 0x7f) {
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  return out;
}

std::string markdown_cell(std::string_view s) {
  std::string out;
  for (char c : valid_utf8(printable(s, LineBreaks::escape))) {
    switch (c) {
      case '|':
        out += "\\|";
        break;
      case '`':
        out += "\\`";
        break;
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '*':
      case '_':
      case '[':
      case ']':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string html_text(std::string_view s, LineBreaks line_breaks) {
  std::string out;
  for (char c : valid_utf8(printable(s, line_breaks))) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string json_text(const nlohmann::json& json, int indent) {
  return json.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace triage::emit
