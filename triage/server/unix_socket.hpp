#pragma once
// The UNIX socket a `triage serve` listens on: where it lives (a directory only this user can enter),
// and length-prefixed messages that can carry file descriptors (SCM_RIGHTS).
#include <optional>
#include <string>
#include <vector>

namespace triage::server {

/// $TRIAGE_SOCKET, else $XDG_RUNTIME_DIR/triage/serve.sock, else /tmp/triage-<uid>/serve.sock.
std::string default_socket_path();

/// Creates the socket's directory (mode 0700) when missing. Empty on success, else why the directory
/// cannot be trusted (another owner, group/other access, not a directory).
std::string prepare_socket_dir(const std::string& socket_path);

/// A connected socket, -1 when nothing listens there (or the directory is not private).
int connect_to(const std::string& socket_path);

/// A listening socket; a stale socket file (nothing accepting) is replaced. -1 and `why` on failure,
/// "busy" when another server is answering there.
int listen_on(const std::string& socket_path, std::string& why);

/// A listening socket named `name` in Linux's abstract namespace: no file to clean up, gone with its
/// last descriptor. -1 and `why` on failure.
int listen_abstract(const std::string& name, std::string& why);

/// Connects to an abstract socket; -1 unless one listens there and runs as this user.
int connect_abstract(const std::string& name);

/// True when the peer runs as this user.
bool peer_is_same_user(int fd);

/// Sends one message (4-byte length, then the bytes) with `fds` attached. False on error.
bool send_message(int fd, const std::string& payload, const std::vector<int>& fds = {});

/// Receives one message and up to `max_fds` attached descriptors (the caller owns them). nullopt on
/// EOF or error; a message over `max_bytes` is an error, and so is one not whole within `timeout_ms`
/// (negative: wait for ever).
std::optional<std::string> receive_message(int fd, std::vector<int>* fds = nullptr, size_t max_fds = 0,
                                           size_t max_bytes = 1 << 20, int timeout_ms = -1);

}  // namespace triage::server
