#include "triage/debugger/native_run.hpp"

#include "triage/debugger/inferior_reaper.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace triage::debugger {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

core::Result<NativeRunResult> run_native(const std::vector<std::string>& argv, const std::vector<std::string>& env,
                                         const std::string& output_path, uint32_t timeout_seconds,
                                         const NativeRunOptions& options) {
  const auto start = std::chrono::steady_clock::now();
  std::vector<char*> cargv;
  for (const auto& a : argv) {
    cargv.push_back(const_cast<char*>(a.c_str()));
  }
  cargv.push_back(nullptr);
  std::vector<char*> cenv;
  for (const auto& e : env) {
    cenv.push_back(const_cast<char*>(e.c_str()));
  }
  cenv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, output_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  if (!options.cwd.empty()) {
    posix_spawn_file_actions_addchdir_np(&actions, options.cwd.c_str());
  }
  // The child inherits our RLIMIT_CORE; raise it around the spawn only.
  rlimit saved_core{};
  getrlimit(RLIMIT_CORE, &saved_core);
  if (options.allow_core) {
    rlimit raised = saved_core;
    raised.rlim_cur = saved_core.rlim_max;
    setrlimit(RLIMIT_CORE, &raised);
  }
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // Its own process group, so a timeout kills everything it started.
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  pid_t pid = 0;
  const int rc = posix_spawn(&pid, argv[0].c_str(), &actions, &attr, cargv.data(), cenv.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (options.allow_core) {
    setrlimit(RLIMIT_CORE, &saved_core);
  }
  if (rc != 0) {
    return core::make_error(core::ErrorCode::launch_failed, "cannot run " + argv[0] + ": " + strerror(rc));
  }
  InferiorReaper::launched(pid);
  NativeRunResult result;
  const auto deadline = start + std::chrono::seconds(timeout_seconds);
  int status = 0;
  auto poll = std::chrono::microseconds(500);
  for (;;) {
    const pid_t w = waitpid(pid, &status, WNOHANG);
    if (w == pid) {
      break;
    }
    if (w < 0 && errno != EINTR) {
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      result.timed_out = true;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(poll);
    poll = std::min(poll * 2, std::chrono::microseconds(20000));
  }
  // Whatever it started is in its group: a child that outlived it (a forking target) goes with it.
  kill(-pid, SIGKILL);
  InferiorReaper::finished(pid);
  if (WIFEXITED(status)) {
    result.exit_status = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
  }
  result.output = read_file(output_path);
  result.elapsed_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace triage::debugger
