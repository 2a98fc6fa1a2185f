#include <gtest/gtest.h>

#include "triage/campaign/task_choice.hpp"

namespace triage::campaign {
namespace {

std::vector<ArtifactTask> campaign() {
  return {{"a/1", "a", "bin/a"}, {"a/2", "a", "bin/a"}, {"a/3", "a", "bin/a"},
          {"b/1", "b", "bin/b"}, {"b/2", "b", "bin/b"}, {"c/1", "c", "bin/c"}};
}

TEST(ChooseTask, StaysOnABinaryItAlreadyHas) {
  const auto tasks = campaign();
  EXPECT_EQ(choose_task({0, 3, 4, 5}, tasks, {"bin/b"}, {"bin/a"}), 1u);
  EXPECT_EQ(choose_task({4, 5}, tasks, {"bin/a", "bin/c"}, {"bin/b"}), 1u);
}

TEST(ChooseTask, StartsOnABinaryNoOtherWorkerHas) {
  const auto tasks = campaign();
  // A fresh worker while another is on bin/a: bin/b, not the oldest task (bin/a).
  EXPECT_EQ(choose_task({1, 2, 3, 4, 5}, tasks, {}, {"bin/a"}), 2u);
  EXPECT_EQ(choose_task({1, 2, 5}, tasks, {"bin/b"}, {"bin/a"}), 2u);
}

TEST(ChooseTask, SharesTheOldestWhenEveryBinaryIsTaken) {
  const auto tasks = campaign();
  EXPECT_EQ(choose_task({2, 4}, tasks, {"bin/c"}, {"bin/a", "bin/b"}), 0u);
  EXPECT_EQ(choose_task({0, 1}, tasks, {}, {}), 0u);
}

}  // namespace
}  // namespace triage::campaign
