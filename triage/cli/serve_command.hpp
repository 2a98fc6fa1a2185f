#pragma once
// `triage serve`: a resident engine that keeps LLDB initialized and one warm debugger session per
// fuzz binary, so a one-shot `triage BINARY ARTIFACT` (forwarded by the front end) skips LLDB's
// start-up, symbol loading and first-walk costs. Requests run one at a time, in this process, on the
// caller's stdin/stdout/stderr, in the caller's directory and environment.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <string>

namespace triage::cli {

struct ServeOptions {
  std::string socket;                 ///< default: server::default_socket_path()
  bool detach = false;                ///< run in the background once listening
  bool stop = false;                  ///< ask the running server to exit
  std::string log;                    ///< request log (default: stderr; /dev/null when detached)
  uint32_t idle_exit_seconds = 1800;  ///< exit after this long without a request (0: never)
  uint32_t restart_every = 200;       ///< re-exec after this many requests: memory stays flat
  std::string lldb_server;
  int listen_fd = -1;                 ///< hidden: the listening socket, kept across a restart
  uint64_t served_before = 0;         ///< hidden: requests served before the restart
};

/// Declares the options of `serve` on its subcommand (cli/subcommands.cpp makes it).
void add_serve_options(CLI::App* cmd, ServeOptions& options);
int run_serve(const ServeOptions& options);

}  // namespace triage::cli
