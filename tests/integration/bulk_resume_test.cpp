// A campaign killed with SIGKILL (the whole process group) after a few results reached the store,
// then the same command again: it triages exactly the rest, and its bucket table equals a clean run's.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>

#include "ground_truth.hpp"

namespace triage::testing {
namespace {

namespace fs = std::filesystem;

const std::string k_bin_dir = TRIAGE_TEST_BIN_DIR;
const std::string k_artifacts = TRIAGE_TEST_ARTIFACTS_DIR;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// `triage` started in its own process group, stdout and stderr to separate files.
class TriageProcess {
 public:
  TriageProcess(const std::vector<std::string>& args, const fs::path& out, const fs::path& err) {
    std::vector<std::string> argv{k_bin_dir + "/triage"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> cargv;
    for (auto& a : argv) {
      cargv.push_back(a.data());
    }
    cargv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    char path_env[] = "PATH=/usr/bin:/bin";
    char* envp[] = {path_env, nullptr};
    if (posix_spawn(&m_pid, cargv[0], &actions, &attr, cargv.data(), envp) != 0) {
      m_pid = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  ~TriageProcess() {
    if (m_pid > 0) {
      kill_group();
    }
  }
  pid_t pid() const { return m_pid; }
  /// SIGKILL to the whole process group (triage, its workers, their lldb-servers and inferiors).
  void kill_group() {
    ::kill(-m_pid, SIGKILL);
    (void)wait(std::chrono::seconds(30));
  }
  /// The exit status, or -1 when it did not exit in time or was killed.
  int wait(std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      if (waitpid(m_pid, &status, WNOHANG) == m_pid) {
        m_pid = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return -1;
  }

 private:
  pid_t m_pid = -1;
};

/// Results in a campaign store, read the way another process would while triage writes (-1: no store yet).
int stored_results(const fs::path& db_path) {
  sqlite3* db = nullptr;
  int count = -1;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 1000);
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM results", -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      count = sqlite3_column_int(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return count;
}

/// Processes still alive whose command line mentions `needle` (the test's temporary directory).
std::vector<pid_t> processes_mentioning(const std::string& needle) {
  std::vector<pid_t> out;
  for (const auto& entry : fs::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) {
      continue;
    }
    std::string cmdline = slurp(entry.path() / "cmdline");
    std::replace(cmdline.begin(), cmdline.end(), '\0', ' ');
    if (cmdline.find(needle) != std::string::npos && std::stoi(name) != ::getpid()) {
      out.push_back(std::stoi(name));
    }
  }
  return out;
}

TEST(BulkResume, KillNineMidCampaignThenTheSameCommandTriagesTheRest) {
  const fs::path dir = fs::temp_directory_path() / ("triage-resume-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  // 20 artifacts over many bugs; no timeout, OOM or leak (slow by design).
  int copied = 0;
  std::map<std::string, int> per_bug;
  for (const auto& row : load_ground_truth(k_artifacts)) {
    if (copied == 20 || row.kind == "timeout" || row.kind == "oom" || row.kind == "leak" || per_bug[row.bug]++ >= 2) {
      continue;
    }
    fs::create_directories(dir / "in" / row.target);
    fs::copy_file(k_artifacts + "/" + row.artifact, dir / "in" / row.artifact);
    ++copied;
  }
  ASSERT_EQ(copied, 20);
  auto args = [&](const std::string& out) {
    return std::vector<std::string>{"bulk", "--bin-dir", k_bin_dir, "-o", (dir / out).string(), "-j", "2",
                                    (dir / "in").string()};
  };

  TriageProcess clean(args("clean"), dir / "clean.out", dir / "clean.err");
  const int clean_rc = clean.wait(std::chrono::seconds(300));
  EXPECT_EQ(clean_rc, 3) << slurp(dir / "clean.err");
  const std::string clean_table = slurp(dir / "clean.out");
  ASSERT_NE(clean_table.find("20 artifacts: 20 crashes in "), std::string::npos) << clean_table;

  int at_kill = 0;
  {
    TriageProcess killed(args("out"), dir / "killed.out", dir / "killed.err");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (stored_results(dir / "out" / "campaign.db") < 3 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    killed.kill_group();
    at_kill = stored_results(dir / "out" / "campaign.db");
  }
  ASSERT_GE(at_kill, 3);
  ASSERT_LT(at_kill, 20) << "the campaign finished before it was killed";
  std::fprintf(stderr, "killed with %d of 20 results in the store\n", at_kill);
  // Nothing of the killed campaign survives (workers, lldb-servers, inferiors all had its group).
  std::vector<pid_t> leftovers;
  for (int i = 0; i < 100 && !(leftovers = processes_mentioning(dir.string())).empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(leftovers.empty()) << leftovers.size() << " processes left, first " << leftovers[0];
  for (pid_t p : leftovers) {
    ::kill(p, SIGKILL);
  }

  TriageProcess resumed(args("out"), dir / "resumed.out", dir / "resumed.err");
  const int rc = resumed.wait(std::chrono::seconds(300));
  const std::string err = slurp(dir / "resumed.err");
  EXPECT_TRUE(rc == 0 || rc == 3) << rc << err;
  EXPECT_NE(err.find("triage bulk: 20 artifacts (" + std::to_string(20 - at_kill) + " to triage, " +
                     std::to_string(at_kill) + " already in the store, 0 unmapped)"),
            std::string::npos)
      << err;
  EXPECT_EQ(stored_results(dir / "out" / "campaign.db"), 20);
  EXPECT_EQ(slurp(dir / "resumed.out"), clean_table);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace triage::testing
