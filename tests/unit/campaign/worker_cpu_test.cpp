#include "triage/campaign/worker_cpu.hpp"

#include <sched.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>

#include <gtest/gtest.h>

namespace triage::campaign {
namespace {

TEST(ChooseCpu, SpreadsWorkersOverTheAllowedCpusInOrder) {
  const std::vector<int> allowed{0, 1};
  EXPECT_EQ(choose_cpu(allowed, {}), 0);
  EXPECT_EQ(choose_cpu(allowed, {0}), 1);
  EXPECT_EQ(choose_cpu(allowed, {0, 1}), 0);  // a third worker shares the first CPU
  EXPECT_EQ(choose_cpu(allowed, {0, 1, 0}), 1);
}

TEST(ChooseCpu, AReplacementTakesTheCpuItsPredecessorLeft) {
  // Workers on 0, 1, 2; the one on 1 died: its replacement goes to 1, not to 0 where the tie-break
  // alone would send it.
  EXPECT_EQ(choose_cpu({0, 1, 2, 3}, {0, 2, 3}), 1);
}

TEST(ChooseCpu, UsesOnlyTheCpusThisProcessMayRunOn) {
  // taskset -c 2,5 triage bulk ...: CPUs 0 and 1 are never chosen.
  EXPECT_EQ(choose_cpu({2, 5}, {}), 2);
  EXPECT_EQ(choose_cpu({2, 5}, {2}), 5);
}

TEST(ChooseCpu, NothingToChooseWithFewerThanTwoCpus) {
  EXPECT_EQ(choose_cpu({}, {}), std::nullopt);
  EXPECT_EQ(choose_cpu({3}, {}), std::nullopt);
}

TEST(AllowedCpus, AreTheAffinityOfThisProcess) {
  const auto cpus = allowed_cpus();
  ASSERT_FALSE(cpus.empty());
  EXPECT_TRUE(std::is_sorted(cpus.begin(), cpus.end()));
  EXPECT_LE(cpus.size(), static_cast<size_t>(CPU_SETSIZE));
}

TEST(PinToCpu, LeavesTheProcessAndItsChildrenOnThatCpuAlone) {
  const auto cpus = allowed_cpus();
  ASSERT_FALSE(cpus.empty());
  const int cpu = cpus.back();
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    if (!pin_to_cpu(cpu)) {
      ::_exit(10);
    }
    const pid_t grandchild = ::fork();  // what a worker starts (its zygote, lldb-servers) inherits it
    if (grandchild == 0) {
      const auto mine = allowed_cpus();
      ::_exit(mine.size() == 1 && mine[0] == cpu ? 0 : 11);
    }
    int status = 0;
    ::waitpid(grandchild, &status, 0);
    ::_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 12);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_FALSE(pin_to_cpu(-1));
}

}  // namespace
}  // namespace triage::campaign
