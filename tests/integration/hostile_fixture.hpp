#pragma once
// The fixture of the tests on a real libFuzzer target built to misbehave (hostile_target.cpp): a
// scratch directory with an artifact directory for it, triage run to completion or started and
// signalled, and what a run may leave behind (processes, scratch directories, store rows).
#include <gtest/gtest.h>

#include <sqlite3.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "triage/debugger/native_run.hpp"

namespace triage::testing {

namespace fs = std::filesystem;

inline const std::string k_bin_dir = TRIAGE_TEST_BIN_DIR;
inline const std::string k_helper_bin_dir = TRIAGE_TEST_HELPER_BIN_DIR;

struct Outcome {
  int exit_status = -1;
  std::string output;
};

inline std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// Results recorded in a bulk output directory's store.
inline int stored_results(const fs::path& out_dir) {
  sqlite3* db = nullptr;
  int count = -1;
  if (sqlite3_open_v2((out_dir / "campaign.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* q = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM results", -1, &q, nullptr) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW) {
      count = sqlite3_column_int(q, 0);
    }
    sqlite3_finalize(q);
  }
  sqlite3_close(db);
  return count;
}

inline nlohmann::json json_in(const std::string& output) {
  const auto brace = output.find('{');
  return brace == std::string::npos ? nlohmann::json() : nlohmann::json::parse(output.substr(brace), nullptr, false);
}

/// Processes a test's triage runs leave: those whose command line names a file under `dir` (targets
/// and their children) or, with a `mark`, whose environment holds it (triage, its engine, workers,
/// lldb-servers, the zygote and the reaper inherit it). Zombies are not counted.
inline std::vector<std::string> left_behind(const std::string& dir, const std::string& mark = {}) {
  std::vector<std::string> found;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const auto name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos || std::stoi(name) == ::getpid()) {
      continue;
    }
    const std::string stat = slurp(e.path() / "stat");
    const auto paren = stat.rfind(')');
    if (paren == std::string::npos || (paren + 2 < stat.size() && stat[paren + 2] == 'Z')) {
      continue;
    }
    std::string cmdline = slurp(e.path() / "cmdline");
    const std::string environ_text = slurp(e.path() / "environ");
    if ((!mark.empty() && environ_text.find(mark) != std::string::npos) || cmdline.find(dir) != std::string::npos) {
      std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
      found.push_back(name + ": " + cmdline);
    }
  }
  return found;
}

/// Scratch directories (/tmp/triage-<kind>-<pid>-XXXXXX) whose owner is gone.
inline std::vector<std::string> abandoned_scratch_dirs() {
  std::vector<std::string> found;
  for (const auto& e : fs::directory_iterator("/tmp")) {
    const auto name = e.path().filename().string();
    for (std::string_view kind : {"triage-session-", "triage-lsb-", "triage-replay-"}) {
      if (!name.starts_with(kind)) {
        continue;
      }
      const int pid = std::atoi(name.c_str() + kind.size());
      if (pid > 0 && ::kill(pid, 0) != 0 && errno == ESRCH) {
        found.push_back(name);
      }
    }
  }
  return found;
}

class HostileInput : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("triage-hostile-" + std::to_string(::getpid()));
    fs::remove_all(m_dir);
    fs::create_directories(m_dir / "in" / "hostile_target");
  }
  void TearDown() override {
    (void)std::system(("umount -l " + (m_dir / "small").string() + " 2>/dev/null").c_str());
    fs::remove_all(m_dir);
  }

  /// Runs triage. run_native kills the process group it started when the run ends; `own_session` puts
  /// triage in a session of its own (setsid -w) so that what triage leaves behind stays to be seen.
  Outcome triage(std::vector<std::string> args, bool own_session = false) {
    std::vector<std::string> argv{k_bin_dir + "/triage"};
    if (own_session) {
      argv.insert(argv.begin(), {"/usr/bin/setsid", "-w"});
    }
    argv.insert(argv.end(), args.begin(), args.end());
    auto run = debugger::run_native(argv, {"PATH=/usr/bin:/bin", "TRIAGE_NO_SERVER=1"}, (m_dir / "output").string(), 180);
    EXPECT_TRUE(run.has_value());
    EXPECT_FALSE(run->signal.has_value()) << "triage died of signal " << run->signal.value_or(0) << ":\n" << run->output;
    return {run->exit_status.value_or(-1), run->output};
  }
  /// An artifact of the hostile target's directory.
  std::string artifact(const std::string& name, const std::string& content) {
    const auto p = m_dir / "in" / "hostile_target" / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  std::vector<std::string> bulk_args() const {
    return {"bulk", "--bin-dir", k_helper_bin_dir, "-o", (m_dir / "out").string(), "-j", "2", "-f", "json",
            (m_dir / "in").string()};
  }
  std::string target() const { return k_helper_bin_dir + "/hostile_target"; }

  /// Starts triage with our mark in its environment; output to m_dir/<tag>.out.
  pid_t start(const std::vector<std::string>& args, const std::string& tag) {
    std::vector<std::string> all{k_bin_dir + "/triage"};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    std::vector<std::string> env_s{"PATH=/usr/bin:/bin", "HOME=" + m_dir.string(), "TRIAGE_TEST_MARK=" + mark(),
                                   "TRIAGE_SOCKET=" + (m_dir / "sock" / "serve.sock").string()};
    std::vector<char*> envp;
    for (auto& e : env_s) {
      envp.push_back(e.data());
    }
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    const auto out = (m_dir / (tag + ".out")).string();
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_adddup2(&actions, 1, 2);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);  // out of our process group, as a user's would be
    pid_t pid = -1;
    EXPECT_EQ(::posix_spawn(&pid, argv[0], &actions, &attr, argv.data(), envp.data()), 0);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    return pid;
  }
  int finish(pid_t pid) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  int kill_after(pid_t pid, int signo, std::chrono::milliseconds after) {
    std::this_thread::sleep_for(after);
    ::kill(pid, signo);
    return finish(pid);
  }
  std::string mark() const { return "triage-left-behind-" + std::to_string(::getpid()); }

  fs::path m_dir;
};

}  // namespace triage::testing
