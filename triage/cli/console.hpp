#pragma once
// The terminal ends of the CLI. Standard output carries results: every write is checked, so a full
// disk is an error (exit 50) and a reader that went away (`| head`) a quiet end (exit 141), never a
// lost report with exit 0. Standard error carries notes and progress: best effort, never a throw
// (fmt::print throws when stderr is a closed pipe, which aborted `bulk 2>&1 | head -1`).
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "triage/core/error.hpp"

namespace triage::cli {

/// Writes and flushes `text` to standard output.
core::Result<void> write_stdout(std::string_view text);

/// Writes `text` to standard error, ignoring failures.
void say_text(std::string_view text);

template <class... Args>
void say(fmt::format_string<Args...> format, Args&&... args) {
  say_text(fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace triage::cli
