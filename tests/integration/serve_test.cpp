// `triage serve`: one-shot runs handed to a resident engine give the same reports as local runs, and
// every failure of the server (none running, rebuilt engine, killed mid-request) still ends in the
// right result from a local run: never a lost or a wrong report.
#include <gtest/gtest.h>

#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "ground_truth.hpp"
#include "triage/debugger/native_run.hpp"
#include "triage/server/unix_socket.hpp"

extern char** environ;

namespace triage::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string k_bin_dir = TRIAGE_TEST_BIN_DIR;
const std::string k_artifacts = TRIAGE_TEST_ARTIFACTS_DIR;

struct Outcome {
  int exit_status = -1;
  std::string output;
};

class Serve : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("triage-serve-" + std::to_string(::getpid()));
    fs::remove_all(m_dir);
    fs::create_directories(m_dir / "sock");
    fs::permissions(m_dir / "sock", fs::perms::owner_all);
    m_socket = (m_dir / "sock" / "serve.sock").string();
    m_rows = load_ground_truth(k_artifacts);
  }
  void TearDown() override {
    stop_server();
    fs::remove_all(m_dir);
  }

  /// Starts `<bin_dir>/triage serve` on our socket, its log in m_dir/serve.log; waits until it answers.
  void start_server(const std::string& bin_dir, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{bin_dir + "/triage", "serve", "--socket", m_socket, "--log",
                                  (m_dir / "serve.log").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    std::vector<std::string> env_s{"PATH=/usr/bin:/bin", "HOME=" + m_dir.string()};
    std::vector<char*> envp;
    for (auto& e : env_s) {
      envp.push_back(e.data());
    }
    envp.push_back(nullptr);
    ASSERT_EQ(::posix_spawn(&m_server, argv[0], nullptr, nullptr, argv.data(), envp.data()), 0);
    for (int i = 0; i < 200 && log().find("listening on") == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_NE(log().find("listening on"), std::string::npos) << log();
  }

  /// Waits up to `seconds` for the server to exit by itself; its exit status, or -1.
  int wait_server(int seconds) {
    for (int i = 0; i < seconds * 20 && m_server > 0; ++i) {
      int status = 0;
      if (::waitpid(m_server, &status, WNOHANG) == m_server) {
        m_server = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return -1;
  }

  void stop_server() {
    if (m_server > 0) {
      ::kill(m_server, SIGKILL);
      ::waitpid(m_server, nullptr, 0);
      m_server = -1;
    }
  }

  std::string log() const {
    std::ifstream in(m_dir / "serve.log");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  Outcome triage(const std::string& bin_dir, std::vector<std::string> args, bool use_server = true) {
    std::vector<std::string> argv{bin_dir + "/triage"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<std::string> env{"PATH=/usr/bin:/bin", "HOME=" + m_dir.string(), "TRIAGE_SOCKET=" + m_socket};
    if (!use_server) {
      env.emplace_back("TRIAGE_NO_SERVER=1");
    }
    auto run = debugger::run_native(argv, env, (m_dir / "client.out").string(), 120);
    EXPECT_TRUE(run.has_value());
    return {run->exit_status.value_or(-1), run->output};
  }

  const GroundTruthRow& row(const std::string& bug, const std::string& target) {
    for (const auto& r : m_rows) {
      if (r.bug == bug && r.target == target) {
        return r;
      }
    }
    ADD_FAILURE() << "no artifact for " << bug << " in " << target;
    return m_rows.front();
  }

  static json report(const Outcome& o) {
    const auto j = json::parse(o.output, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << o.output;
    return j;
  }

  fs::path m_dir;
  std::string m_socket;
  pid_t m_server = -1;
  std::vector<GroundTruthRow> m_rows;
};

TEST_F(Serve, ServedReportsEqualLocalOnesAcrossBinaries) {
  start_server(k_bin_dir);
  // Two binaries, then the first again: the pool keeps a session per binary.
  for (const auto* bug : {"IDE-04", "RS-01", "IDE-04"}) {
    const auto& r = row(bug, std::string(bug).starts_with("RS") ? "fuzz_ide_rs" : "fuzz_ide");
    const std::vector<std::string> args{k_bin_dir + "/" + r.target, k_artifacts + "/" + r.artifact, "--format", "json"};
    const auto served = triage(k_bin_dir, args);
    const auto local = triage(k_bin_dir, args, false);
    ASSERT_EQ(served.exit_status, 0) << served.output;
    ASSERT_EQ(local.exit_status, 0) << local.output;
    const auto s = report(served);
    const auto l = report(local);
    EXPECT_EQ(s["kind"], r.kind);
    EXPECT_EQ(s["blamed_frame"]["function"], r.function);
    EXPECT_EQ(s["signature"]["id"], l["signature"]["id"]);
    EXPECT_EQ(s["devices"].size(), l["devices"].size());
    EXPECT_EQ(s["message"], l["message"]);
  }
  // The three went through the server (and the local runs did not).
  const auto text = log();
  EXPECT_NE(text.find("#3 exit 0"), std::string::npos) << text;
  EXPECT_EQ(text.find("#4 "), std::string::npos) << text;
}

TEST_F(Serve, BadInputThroughTheServerIsTheSameOneLineError) {
  start_server(k_bin_dir);
  const auto o = triage(k_bin_dir, {k_bin_dir + "/fuzz_uart", (m_dir / "missing").string()});
  EXPECT_EQ(o.exit_status, 20) << o.output;
  EXPECT_TRUE(o.output.starts_with("triage: error: ")) << o.output;
  EXPECT_EQ(std::count(o.output.begin(), o.output.end(), '\n'), 1) << o.output;
  EXPECT_NE(log().find("#1 exit 20"), std::string::npos) << log();
}

TEST_F(Serve, RebuiltEngineIsRefusedAndTheServerExits) {
  // A copy of the tool whose engine we can "rebuild" (touch) under a running server.
  const auto bin = m_dir / "bin";
  fs::create_directories(bin);
  fs::copy_file(k_bin_dir + "/triage", bin / "triage");
  fs::copy_file(k_bin_dir + "/triage-engine", bin / "triage-engine");
  start_server(bin.string());
  const auto& r = row("IDE-04", "fuzz_ide");
  const std::vector<std::string> args{k_bin_dir + "/fuzz_ide", k_artifacts + "/" + r.artifact, "--format", "json"};
  ASSERT_EQ(triage(bin.string(), args).exit_status, 0);
  fs::last_write_time(bin / "triage-engine", fs::file_time_type::clock::now() + std::chrono::seconds(5));
  const auto o = triage(bin.string(), args);
  ASSERT_EQ(o.exit_status, 0) << o.output;
  EXPECT_EQ(report(o)["blamed_frame"]["function"], r.function);  // run locally, same answer
  EXPECT_EQ(wait_server(10), 0) << log();
  EXPECT_NE(log().find("refused: triage was rebuilt"), std::string::npos) << log();
  EXPECT_FALSE(fs::exists(m_socket));
}

TEST_F(Serve, ServerKilledMidRequestStillGivesTheResult) {
  start_server(k_bin_dir);
  const auto& r = row("UART-01", "fuzz_uart");  // a timeout: the request is in the server for 3 s
  std::thread killer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // well inside the 3 s wait
    stop_server();
  });
  const auto o = triage(k_bin_dir, {k_bin_dir + "/fuzz_uart", k_artifacts + "/" + r.artifact, "-t", "3", "--format",
                                    "json"});
  killer.join();
  ASSERT_EQ(o.exit_status, 0) << o.output;
  EXPECT_EQ(report(o)["kind"], "timeout");
  EXPECT_EQ(report(o)["blamed_frame"]["function"], r.function);
  // The killed server's lldb-server lost its connection: it must have killed the spinning target
  // rather than leave it running untraced.
  const std::string artifact = k_artifacts + "/" + r.artifact;
  int left = 0;
  for (int i = 0; i < 50; ++i) {
    left = 0;
    for (const auto& p : fs::directory_iterator("/proc")) {
      std::ifstream in(p.path() / "cmdline");
      std::string cmdline((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      left += cmdline.find(artifact) != std::string::npos ? 1 : 0;
    }
    if (left == 0) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(left, 0) << "a process still runs " << artifact;
}

TEST_F(Serve, StopAndRestartKeepTheSocketUsable) {
  start_server(k_bin_dir, {"--restart-every", "2"});
  const auto& r = row("IDE-04", "fuzz_ide");
  const std::vector<std::string> args{k_bin_dir + "/fuzz_ide", k_artifacts + "/" + r.artifact, "--format", "json"};
  for (int i = 0; i < 3; ++i) {  // the second request triggers a re-exec; the third is served after it
    const auto o = triage(k_bin_dir, args);
    ASSERT_EQ(o.exit_status, 0) << o.output;
    EXPECT_EQ(report(o)["kind"], r.kind);
  }
  EXPECT_NE(log().find("#3 exit 0"), std::string::npos) << log();
  const auto stop = triage(k_bin_dir, {"serve", "--stop", "--socket", m_socket});
  EXPECT_EQ(stop.exit_status, 0) << stop.output;
  EXPECT_EQ(wait_server(10), 0) << log();
  EXPECT_FALSE(fs::exists(m_socket));
  // Nobody listening: the front end runs it itself.
  const auto o = triage(k_bin_dir, args);
  EXPECT_EQ(o.exit_status, 0);
  EXPECT_EQ(report(o)["kind"], r.kind);
}

TEST_F(Serve, ClientThatSaysNothingHoldsUpNoOne) {
  start_server(k_bin_dir);
  const int idle = server::connect_to(m_socket);  // connects, never sends, stays connected
  ASSERT_GE(idle, 0);
  const auto& r = row("IDE-04", "fuzz_ide");
  const auto o = triage(k_bin_dir, {k_bin_dir + "/fuzz_ide", k_artifacts + "/" + r.artifact, "--format", "json"});
  ASSERT_EQ(o.exit_status, 0) << o.output;
  EXPECT_EQ(report(o)["kind"], r.kind);
  EXPECT_NE(log().find("#1 exit 0"), std::string::npos) << "served after the idle caller's deadline:\n" << log();
  const int idle_again = server::connect_to(m_socket);
  const auto stop = triage(k_bin_dir, {"serve", "--stop", "--socket", m_socket});
  EXPECT_EQ(stop.exit_status, 0) << stop.output;
  EXPECT_EQ(wait_server(10), 0) << log();
  ::close(idle);
  ::close(idle_again);
}

TEST_F(Serve, BusyServerIsNotWaitedForAndDoesNotRunTheRequestTwice) {
  start_server(k_bin_dir);
  const auto& slow = row("UART-01", "fuzz_uart");  // a timeout: holds the server for 20 s
  Outcome first;
  std::thread busy([&] {
    first = triage(k_bin_dir, {k_bin_dir + "/fuzz_uart", k_artifacts + "/" + slow.artifact, "-t", "20", "--format",
                               "json"});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));  // the first request is running
  const auto& r = row("IDE-04", "fuzz_ide");
  const auto second = [&] {
    std::vector<std::string> argv{k_bin_dir + "/triage", k_bin_dir + "/fuzz_ide", k_artifacts + "/" + r.artifact,
                                  "--format", "json"};
    auto run = debugger::run_native(argv, {"PATH=/usr/bin:/bin", "HOME=" + m_dir.string(), "TRIAGE_SOCKET=" + m_socket},
                                    (m_dir / "second.out").string(), 120);
    return Outcome{run ? run->exit_status.value_or(-1) : -1, run ? run->output : ""};
  }();
  EXPECT_EQ(log().find("#1 exit"), std::string::npos) << "the first request ended before the second: no test";
  ASSERT_EQ(second.exit_status, 0) << second.output;
  EXPECT_EQ(report(second)["kind"], r.kind);  // run by the front end itself, once: one JSON document
  busy.join();
  ASSERT_EQ(first.exit_status, 0) << first.output;
  EXPECT_EQ(report(first)["kind"], "timeout");
  for (int i = 0; i < 100 && log().find("did not wait") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_NE(log().find("the caller did not wait"), std::string::npos) << log();
  EXPECT_EQ(log().find("#2 exit"), std::string::npos) << log();
}

}  // namespace
}  // namespace triage::testing
