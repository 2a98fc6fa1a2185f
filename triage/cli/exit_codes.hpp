#pragma once
// One place maps every error to its exit code (documented in README.md, "Exit codes").
#include "triage/core/error.hpp"

namespace triage::cli {

inline constexpr int k_exit_crash = 0;     ///< one-shot: the artifact crashed and was analysed
inline constexpr int k_exit_no_repro = 1;  ///< one-shot: the artifact ran to completion without crashing
inline constexpr int k_exit_output_closed = 141;  ///< as a shell reports a process ended by SIGPIPE

int exit_code_for(core::ErrorCode code);
/// Prints "triage: error: <message>" on stderr and returns the exit code.
int report_error(const core::Error& error);

}  // namespace triage::cli
