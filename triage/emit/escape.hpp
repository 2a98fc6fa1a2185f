#pragma once
// Escaping untrusted text (panic messages, file names, frames, stderr) for each output format. A fuzz
// target controls these strings, so every emitter goes through one of these.
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "triage/core/utf8.hpp"

namespace triage::emit {

enum class LineBreaks {
  keep,    ///< '\n' and '\t' stay as they are (multi-line text reports)
  escape,  ///< '\n' shown as "\n", so the text stays on one line (tables)
};

using core::valid_utf8;
/// Control characters (and DEL) shown as \xNN.
std::string printable(std::string_view s, LineBreaks line_breaks);
/// Markdown table-cell safe: one line; pipes, backticks, emphasis, brackets, & and angle brackets escaped.
std::string markdown_cell(std::string_view s);
/// HTML text and attribute-value safe: control characters as \xNN, invalid UTF-8 as U+FFFD, then
/// & < > " ' as entities.
std::string html_text(std::string_view s, LineBreaks line_breaks = LineBreaks::keep);
/// JSON text that never throws: bytes that are not valid UTF-8 become U+FFFD.
std::string json_text(const nlohmann::json& json, int indent = 2);

}  // namespace triage::emit
