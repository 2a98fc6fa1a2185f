#pragma once
// Ctrl-C / SIGTERM must not leave the debugged process running untraced or lldb-server as a zombie
// (both observed): the handler SIGKILLs every descendant process, removes our scratch directories,
// then exits 130 / 143.
namespace triage::campaign {

void install_child_cleanup();
/// Kills all descendants now (async-signal-safe).
void kill_descendants();

}  // namespace triage::campaign
