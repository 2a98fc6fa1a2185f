#include <gtest/gtest.h>

#include "triage/debugserver/launch_request.hpp"

namespace triage::debugserver {
namespace {

LaunchRequest sample() {
  LaunchRequest r;
  r.argv = {"/usr/lib/llvm-19/bin/lldb-server", "gdbserver", "--fd=7", "--native-regs", "--setsid"};
  r.env = {"PATH=/usr/bin:/bin", "EMPTY=", "WITH=equals=inside"};
  r.cwd = "/work/dir with space";
  r.fd_numbers = {0, 1, 2, 7};
  return r;
}

TEST(LaunchRequest, RoundTrips) {
  const auto back = decode(encode(sample()));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->argv, sample().argv);
  EXPECT_EQ(back->env, sample().env);
  EXPECT_EQ(back->cwd, "/work/dir with space");
  EXPECT_EQ(back->fd_numbers, (std::vector<int>{0, 1, 2, 7}));
}

TEST(LaunchRequest, EmptyEnvironmentAndNoDescriptorsRoundTrip) {
  LaunchRequest r;
  r.argv = {"lldb-server"};
  const auto back = decode(encode(r));
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->argv, std::vector<std::string>{"lldb-server"});
  EXPECT_TRUE(back->env.empty());
  EXPECT_TRUE(back->cwd.empty());
  EXPECT_TRUE(back->fd_numbers.empty());
}

TEST(LaunchRequest, RejectsWhatIsNotARequest) {
  const std::string good = encode(sample());
  EXPECT_FALSE(decode("").has_value());
  EXPECT_FALSE(decode(std::string("triage-zygote/2\0", 16) + good.substr(16)).has_value());  // another version
  EXPECT_FALSE(decode(good.substr(0, good.size() - 1)).has_value());                         // truncated
  EXPECT_FALSE(decode(good + "x").has_value());                                              // trailing bytes
  LaunchRequest no_argv = sample();
  no_argv.argv.clear();
  EXPECT_FALSE(decode(encode(no_argv)).has_value());
  // A count that claims more fields than there are.
  std::string lying = encode(sample());
  lying.replace(lying.find(std::string("5\0", 2)), 1, "9");
  EXPECT_FALSE(decode(lying).has_value());
}

TEST(LaunchRequest, RejectsNegativeOrNonNumericDescriptors) {
  LaunchRequest r = sample();
  std::string bytes = encode(r);
  const std::string tail = std::string("7\0", 2);
  const auto at = bytes.rfind(tail);
  ASSERT_NE(at, std::string::npos);
  EXPECT_FALSE(decode(bytes.substr(0, at) + std::string("-1\0", 3)).has_value());
  EXPECT_FALSE(decode(bytes.substr(0, at) + std::string("x\0", 2)).has_value());
}

}  // namespace
}  // namespace triage::debugserver
