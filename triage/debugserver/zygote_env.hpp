#pragma once
// The environment variables that tie LLDB, the debugserver shim and the lldb-server zygote together.
namespace triage::debugserver {

/// Set for the zygote only: its listening socket, and the read end of a pipe whose other end its
/// owner holds (end of file: the owner is gone, so is the zygote).
inline constexpr const char* k_zygote_listen_fd_var = "TRIAGE_ZYGOTE_LISTEN_FD";
inline constexpr const char* k_zygote_owner_fd_var = "TRIAGE_ZYGOTE_OWNER_FD";

/// Set in the owner, so LLDB passes them to the shim it starts as its debugserver: the zygote's
/// abstract socket name, and the real lldb-server the shim execs when no zygote answers.
inline constexpr const char* k_zygote_socket_var = "TRIAGE_ZYGOTE_SOCKET";
inline constexpr const char* k_real_lldb_server_var = "TRIAGE_REAL_LLDB_SERVER";

}  // namespace triage::debugserver
