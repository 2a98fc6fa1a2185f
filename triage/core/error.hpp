#pragma once
// Errors cross module boundaries as values: std::expected<T, Error>, propagated with TRIAGE_TRY
// (ccache's util/expected.hpp). The CLI maps each ErrorCode to one message line and one exit code.
#include <expected>
#include <string>
#include <utility>

namespace triage::core {

enum class ErrorCode {
  usage,                ///< bad command-line combination
  binary_missing,       ///< the fuzz binary does not exist or cannot be read
  binary_not_elf,       ///< the fuzz binary is not an ELF executable
  binary_stripped,      ///< the binary has no symbols at all
  artifact_missing,     ///< the artifact does not exist
  artifact_unreadable,  ///< the artifact exists but cannot be read
  artifact_empty,       ///< the artifact has no bytes
  artifact_too_large,   ///< the artifact is larger than --max-artifact-size
  lldb_server_missing,  ///< LLDB_DEBUGSERVER_PATH does not point at an executable lldb-server
  data_invalid,         ///< a schema, wrapper-rule or ignore-list file is malformed
  launch_failed,        ///< the debugger could not start the process
  debugger_failed,      ///< liblldb misbehaved while the process ran
  io_failed,            ///< a file could not be written
  process_missing,      ///< attach: no process with that pid
  attach_denied,        ///< attach: ptrace refused (permissions, already traced)
  core_invalid,         ///< a core file that is not an ELF core, or truncated
  core_mismatch,        ///< a core file dumped by another program than the binary given
  output_closed,        ///< the reader of standard output went away (`| head`): a normal end, said nowhere
  store_busy,           ///< another triage holds the output directory's campaign store
};

struct Error {
  ErrorCode code;
  std::string message;
};

template <class T>
using Result = std::expected<T, Error>;

inline std::unexpected<Error> make_error(ErrorCode code, std::string message) {
  return std::unexpected<Error>(Error{code, std::move(message)});
}

namespace detail {
template <class T>
T take_value(std::expected<T, Error>& r) {
  return std::move(*r);
}
inline void take_value(std::expected<void, Error>& /*r*/) {}
}  // namespace detail

}  // namespace triage::core

/// Evaluates `expr` (a Result); returns its error from the enclosing function, else yields the value.
#define TRIAGE_TRY(expr)                                    \
  ({                                                        \
    auto triage_try_result_ = (expr);                       \
    if (!triage_try_result_) {                              \
      return std::unexpected(triage_try_result_.error());   \
    }                                                       \
    ::triage::core::detail::take_value(triage_try_result_); \
  })
