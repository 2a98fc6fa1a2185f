#pragma once
// The terminal ends of the CLI. Standard output carries results: every write is checked, so a full
// disk is an error (exit 50) and a reader that went away (`| head`) a quiet end (exit 141), never a
// lost report with exit 0. Standard error carries notes and progress: best effort, never a throw
// (fmt::print throws when stderr is a closed pipe, which aborted `bulk 2>&1 | head -1`).
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

#include <fmt/format.h>

#include "triage/core/error.hpp"
#include "triage/emit/escape.hpp"

namespace triage::cli {

/// Writes and flushes `text` to standard output.
core::Result<void> write_stdout(std::string_view text);

/// Writes `text` beside `path`, then renames it over: a reader (a browser, a CI job) never sees half a
/// file, and a full disk leaves the previous file whole.
core::Result<void> write_file_whole(const std::string& path, std::string_view text);

/// Writes `text` to standard error, ignoring failures.
void say_text(std::string_view text);

/// A value as `say` shows it: text (file names, messages: the target and the campaign choose them) with
/// its control characters escaped, so that it can neither drive the terminal nor split the line.
template <class T>
auto shown(const T& value) {
  if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    return emit::printable(std::string_view(value), emit::LineBreaks::escape);
  } else {
    return value;
  }
}

/// Formats a note for standard error; the arguments are shown(), the format string is ours.
template <class... Args>
void say(fmt::format_string<Args...> format, Args&&... args) {
  say_text(std::apply([&](const auto&... v) { return fmt::vformat(static_cast<fmt::string_view>(format), fmt::make_format_args(v...)); },
                      std::tuple{shown(args)...}));
}

}  // namespace triage::cli
