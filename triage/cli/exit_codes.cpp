#include "triage/cli/exit_codes.hpp"

#include <fmt/format.h>

#include "triage/cli/console.hpp"

namespace triage::cli {

int exit_code_for(core::ErrorCode code) {
  switch (code) {
    case core::ErrorCode::usage:
      return 2;
    case core::ErrorCode::binary_missing:
      return 10;
    case core::ErrorCode::binary_not_elf:
      return 11;
    case core::ErrorCode::binary_stripped:
      return 12;
    case core::ErrorCode::artifact_missing:
      return 20;
    case core::ErrorCode::artifact_unreadable:
      return 21;
    case core::ErrorCode::artifact_empty:
      return 22;
    case core::ErrorCode::artifact_too_large:
      return 23;
    case core::ErrorCode::lldb_server_missing:
      return 30;
    case core::ErrorCode::data_invalid:
      return 31;
    case core::ErrorCode::launch_failed:
      return 40;
    case core::ErrorCode::debugger_failed:
      return 41;
    case core::ErrorCode::io_failed:
      return 50;
    case core::ErrorCode::process_missing:
      return 60;
    case core::ErrorCode::attach_denied:
      return 61;
    case core::ErrorCode::core_invalid:
      return 62;
    case core::ErrorCode::core_mismatch:
      return 63;
    case core::ErrorCode::output_closed:
      return k_exit_output_closed;
    case core::ErrorCode::store_busy:
      return 51;
  }
  return 70;
}

int report_error(const core::Error& error) {
  if (error.code == core::ErrorCode::output_closed) {
    return exit_code_for(error.code);  // `triage ... | head`: the reader has what it wanted
  }
  // One line: newlines in messages (from TOML parse errors, LLDB) are folded; say() escapes the rest.
  std::string msg = error.message;
  for (auto& c : msg) {
    if (c == '\n') {
      c = ' ';
    }
  }
  say("triage: error: {}\n", msg);
  return exit_code_for(error.code);
}

}  // namespace triage::cli
