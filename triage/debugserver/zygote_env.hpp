#pragma once
// How the engine tells the lldb-server it starts that it is to be the zygote.
namespace triage::debugserver {

/// Set for the zygote only: its listening socket, and the read end of a pipe whose other end its
/// owner holds (end of file: the owner is gone, so is the zygote).
inline constexpr const char* k_zygote_listen_fd_var = "TRIAGE_ZYGOTE_LISTEN_FD";
inline constexpr const char* k_zygote_owner_fd_var = "TRIAGE_ZYGOTE_OWNER_FD";

}  // namespace triage::debugserver
