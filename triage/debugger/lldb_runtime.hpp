#pragma once
// Process-wide liblldb set-up: LLDB_DEBUGSERVER_PATH (Debian's liblldb cannot find lldb-server by
// itself), a private mount namespace that hides the slow `lsb_release` lldb-server runs at every
// launch, and SBDebugger::Initialize/Terminate as one RAII object. Create it first thing in main(),
// before any thread exists (unshare(CLONE_NEWNS) requires a single-threaded process).
#include <memory>
#include <string>

#include "triage/core/error.hpp"

namespace triage::debugger {

struct RuntimeOptions {
  std::string lldb_server;        ///< empty: $LLDB_DEBUGSERVER_PATH, then the build-time default
  bool fast_lsb_release = true;   ///< try the private-namespace trick (root only; silently skipped)
  bool zygote = true;             ///< fork lldb-servers from a zygote (off: TRIAGE_NO_ZYGOTE=1)
};

class LldbRuntime {
 public:
  static core::Result<std::unique_ptr<LldbRuntime>> start(const RuntimeOptions& options);
  ~LldbRuntime();
  LldbRuntime(const LldbRuntime&) = delete;
  LldbRuntime& operator=(const LldbRuntime&) = delete;

  const std::string& lldb_server() const { return m_lldb_server; }
  bool lsb_release_hidden() const { return m_lsb_hidden; }
  bool zygote_running() const { return m_zygote_owner_fd >= 0; }

 private:
  LldbRuntime() = default;
  std::string m_lldb_server;
  bool m_lsb_hidden = false;
  int m_zygote_owner_fd = -1;
};

/// The lldb-server path the build found (TRIAGE_LLDB_SERVER).
const char* default_lldb_server();

}  // namespace triage::debugger
