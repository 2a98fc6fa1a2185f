#include "triage/debugger/lldb_runtime.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <lldb/API/SBDebugger.h>

#include "triage/debugger/inferior_reaper.hpp"
#include "triage/debugger/lldb_server_zygote.hpp"

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
  char dir_template[] = "/tmp/triage-lsb-XXXXXX";
  const char* dir = mkdtemp(dir_template);
  if (dir == nullptr) {
    return false;
  }
  const std::string fake = std::string(dir) + "/lsb_release";
  {
    std::ofstream out(fake);
    out << "#!/bin/sh\necho 'Distributor ID:\tDebian'\n";
  }
  chmod(fake.c_str(), 0755);
  bool hidden = false;
  struct stat first {};
  bool have_first = false;
  for (const char* t : targets) {
    struct stat st {};
    if (stat(t, &st) != 0) {
      continue;
    }
    if (have_first && st.st_ino == first.st_ino && st.st_dev == first.st_dev) {
      continue;  // /bin -> /usr/bin on merged-usr systems: already covered
    }
    if (mount(fake.c_str(), t, nullptr, MS_BIND, nullptr) == 0) {
      hidden = true;
      if (!have_first) {
        first = st;
        have_first = true;
      }
    }
  }
  // The mount keeps the inode alive; the directory can go.
  unlink(fake.c_str());
  rmdir(dir);
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
