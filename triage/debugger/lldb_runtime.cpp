#include "triage/debugger/lldb_runtime.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <iterator>
#include <filesystem>
#include <fstream>

#include <lldb/API/SBDebugger.h>

#include "triage/debugger/inferior_reaper.hpp"
#include "triage/debugger/lldb_server_zygote.hpp"
#include "triage/debugger/scratch_dir.hpp"

#ifndef TRIAGE_PYCACHE_DIR
#define TRIAGE_PYCACHE_DIR ""
#endif
#ifndef TRIAGE_LLDB_SERVER
#define TRIAGE_LLDB_SERVER "/usr/lib/llvm-19/bin/lldb-server"
#endif

namespace triage::debugger {
namespace {

/// lldb-server's HostInfoLinux::GetDistributionId runs `/bin/lsb_release -i` and `/usr/bin/lsb_release -i`
/// through a shell at every launch (~30 ms each on Debian, where it is a Python-free but slow script).
/// In a private mount namespace, bind-mount a one-line answer over them: the host is untouched.
bool hide_lsb_release() {
  if (geteuid() != 0) {
    return false;
  }
  const char* targets[] = {"/usr/bin/lsb_release", "/bin/lsb_release"};
  bool any = false;
  for (const char* t : targets) {
    any = any || access(t, X_OK) == 0;
  }
  if (!any) {
    return false;  // nothing to hide: lldb-server skips the popen when the file is absent
  }
  if (unshare(CLONE_NEWNS) != 0) {
    return false;
  }
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return false;
  }
  const auto dir = make_scratch_dir("lsb");
  if (!dir) {
    return false;
  }
  const std::string fake = *dir + "/lsb_release";
  {
    std::ofstream out(fake);
    // Quiet when the reader is gone: lldb-server's stderr is triage's.
    out << "#!/bin/sh\necho 'Distributor ID:\tDebian' 2>/dev/null\n";
  }
  chmod(fake.c_str(), 0755);
  // Every target is looked at before any mount: on merged-usr systems /bin/lsb_release is
  // /usr/bin/lsb_release, and once that is covered, a stat through /bin sees the fake, which a second
  // bind would then cover (the fake becomes a mount point: it can no longer be removed).
  struct stat originals[std::size(targets)] {};
  bool present[std::size(targets)] {};
  for (size_t i = 0; i < std::size(targets); ++i) {
    present[i] = stat(targets[i], &originals[i]) == 0;
  }
  bool hidden = false;
  for (size_t i = 0; i < std::size(targets); ++i) {
    bool seen = false;
    for (size_t j = 0; j < i; ++j) {
      seen = seen || (present[j] && originals[j].st_ino == originals[i].st_ino && originals[j].st_dev == originals[i].st_dev);
    }
    if (present[i] && !seen && mount(fake.c_str(), targets[i], nullptr, MS_BIND, nullptr) == 0) {
      hidden = true;
    }
  }
  // The mount keeps the inode alive; the directory can go.
  remove_scratch_dir(*dir);
  return hidden;
}

}  // namespace

const char* default_lldb_server() { return TRIAGE_LLDB_SERVER; }

core::Result<std::unique_ptr<LldbRuntime>> LldbRuntime::start(const RuntimeOptions& options) {
  std::unique_ptr<LldbRuntime> rt(new LldbRuntime());
  std::string server = options.lldb_server;
  if (server.empty()) {
    if (const char* env = std::getenv("LLDB_DEBUGSERVER_PATH"); env != nullptr && *env != '\0') {
      server = env;
    } else {
      server = default_lldb_server();
    }
  }
  if (access(server.c_str(), X_OK) != 0) {
    return core::make_error(core::ErrorCode::lldb_server_missing,
                            "lldb-server not found or not executable at " + server +
                                " (install lldb-19, or set LLDB_DEBUGSERVER_PATH / --lldb-server)");
  }
  setenv("LLDB_DEBUGSERVER_PATH", server.c_str(), 1);
  rt->m_lldb_server = server;
  if (options.fast_lsb_release) {
    rt->m_lsb_hidden = hide_lsb_release();
  }
  // Byte-compiled `lldb` package (see triage/CMakeLists.txt); harmless when the cache is missing.
  if (std::getenv("PYTHONPYCACHEPREFIX") == nullptr && *TRIAGE_PYCACHE_DIR != '\0' &&
      access(TRIAGE_PYCACHE_DIR, R_OK) == 0) {
    setenv("PYTHONPYCACHEPREFIX", TRIAGE_PYCACHE_DIR, 0);
  }
  InferiorReaper::start();  // forks: before LLDB starts any thread
  if (options.zygote && std::getenv("TRIAGE_NO_ZYGOTE") == nullptr) {
    rt->m_zygote_owner_fd = start_lldb_server_zygote(server).owner_fd;  // without it: plain lldb-servers
  }
  lldb::SBDebugger::Initialize();
  return rt;
}

LldbRuntime::~LldbRuntime() {
  lldb::SBDebugger::Terminate();
  if (m_zygote_owner_fd >= 0) {
    ::close(m_zygote_owner_fd);
  }
}

}  // namespace triage::debugger
