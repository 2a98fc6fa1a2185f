// The reduction loop with a predicate standing in for a replay.
#include <gtest/gtest.h>

#include "triage/core/minimize.hpp"

namespace triage::core {
namespace {

TEST(Minimize, KeepsWhatTheBucketNeedsAndNormalizesTheRest) {
  // "Same bucket" needs "BUG" somewhere and at least 8 bytes; a shorter input is another bug.
  const auto same = [](const std::string& s) { return s.find("BUG") != std::string::npos && s.size() >= 8; };
  const auto r = minimize_input("aaaaaaaaaaBUGbbbbbbbbbbbbbbbbbbbbbbbb", same);
  EXPECT_EQ(r.input.size(), 8u);
  EXPECT_NE(r.input.find("BUG"), std::string::npos);
  std::string others = r.input;
  others.erase(others.find("BUG"), 3);
  EXPECT_EQ(others, "00000");  // every byte the bucket does not need, normalized
  EXPECT_FALSE(r.limited);
  EXPECT_GT(r.checks, 0u);
}

TEST(Minimize, StopsAtTheCheckLimitWithTheBestSoFar) {
  const auto same = [](const std::string& s) { return s.find('x') != std::string::npos; };
  const auto r = minimize_input(std::string(1000, 'y') + "x", same, {1, std::chrono::minutes(1)});
  EXPECT_TRUE(r.limited);
  EXPECT_EQ(r.checks, 1u);
  EXPECT_EQ(r.input, std::string(500, 'y') + "x");  // the first half went, then the limit
}

TEST(Minimize, AnInputNoCandidateKeepsIsReturnedAsItIs) {
  const auto r = minimize_input("abc", [](const std::string& s) { return s == "abc"; });
  EXPECT_EQ(r.input, "abc");
}

}  // namespace
}  // namespace triage::core
