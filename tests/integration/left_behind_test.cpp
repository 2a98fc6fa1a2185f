// Nothing outlives a run: targets, their children, lldb-servers, the zygote, the reaper, sockets and
// scratch directories, whether triage ends by itself or is killed.
#include "hostile_fixture.hpp"

namespace triage::testing {
namespace {

class LeftBehind : public HostileInput {};

TEST_F(HostileInput, ChildrenOfAForkingTargetDoNotOutliveTheRun) {
  const auto art = artifact("crash-forks", "fork");
  const auto out = m_dir / "cores";
  const std::vector<std::vector<std::string>> runs{
      {target(), art}, {"replay", target(), art}, {"make-core", "-o", out.string(), target(), art}};
  for (const auto& args : runs) {
    const auto o = triage(args, true);
    EXPECT_EQ(o.exit_status, 0) << args[0] << ": " << o.output;
    EXPECT_EQ(left_behind(art).size(), 0u) << args[0] << " left a child of the target running";
  }
}

TEST_F(LeftBehind, OneShotReplayCoresAttachBulkAndServeLeaveNothingWhenTheyEndOrAreKilled) {
  const auto forks = artifact("crash-forks", "fork");
  const auto spins = artifact("timeout-spins", "spin");
  fs::create_directories(m_dir / "sock");
  fs::permissions(m_dir / "sock", fs::perms::owner_all);
  // Ends by itself: one-shot, replay, make-core and core on a target whose child outlives it.
  EXPECT_EQ(finish(start({target(), forks}, "oneshot")), 0);
  EXPECT_EQ(finish(start({"replay", target(), forks}, "replay")), 0);
  EXPECT_EQ(finish(start({"make-core", "-o", (m_dir / "cores").string(), target(), forks}, "make-core")), 0);
  // Killed mid-run: a one-shot on a spinning target, a bulk campaign with two workers.
  EXPECT_EQ(kill_after(start({"-t", "60", target(), spins}, "oneshot-killed"), SIGKILL, std::chrono::seconds(2)),
            128 + SIGKILL);
  EXPECT_EQ(kill_after(start({"bulk", "--bin-dir", k_helper_bin_dir, "-o", (m_dir / "out").string(), "-j", "2", "-t",
                              "60", (m_dir / "in").string()},
                             "bulk-killed"),
                       SIGKILL, std::chrono::seconds(3)),
            128 + SIGKILL);
  // A server that answered one request, then is told to stop with SIGTERM.
  const pid_t server = start({"serve", "--socket", (m_dir / "sock" / "serve.sock").string()}, "serve");
  for (int i = 0; i < 100 && !fs::exists(m_dir / "sock" / "serve.sock"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_EQ(finish(start({target(), forks}, "served")), 0);
  EXPECT_EQ(kill_after(server, SIGTERM, std::chrono::milliseconds(200)), 128 + SIGTERM);
  // attach --kill to a process of ours, and a core read back.
  {
    const auto loops = artifact("timeout-loops", "loop");
    std::vector<std::string> args{target(), loops};
    std::vector<char*> argv;
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    pid_t looping = -1;
    char* no_env[] = {nullptr};
    ASSERT_EQ(::posix_spawn(&looping, argv[0], nullptr, nullptr, argv.data(), no_env), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    EXPECT_EQ(finish(start({"attach", "--pid", std::to_string(looping), "--kill"}, "attach")), 0);
    EXPECT_EQ(finish(looping), 128 + SIGKILL);
  }
  const auto core = m_dir / "cores" / "crash-forks.core";
  if (fs::exists(core)) {  // kernel.core_pattern may pipe cores elsewhere
    EXPECT_EQ(finish(start({"core", target(), core.string()}, "core")), 0);
  }
  // A later run sweeps what the SIGKILLed ones could not remove.
  EXPECT_EQ(finish(start({"replay", target(), forks}, "sweep-replay")), 0);
  EXPECT_EQ(finish(start({target(), forks}, "sweep")), 0);
  std::vector<std::string> procs;
  for (int i = 0; i < 50; ++i) {  // the reaper kills a killed triage's targets as soon as it sees it gone
    procs = left_behind(m_dir.string(), mark());
    if (procs.empty()) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(procs.empty()) << ::testing::PrintToString(procs);
  EXPECT_FALSE(fs::exists(m_dir / "sock" / "serve.sock"));
  EXPECT_TRUE(abandoned_scratch_dirs().empty()) << ::testing::PrintToString(abandoned_scratch_dirs());
}

}  // namespace
}  // namespace triage::testing
