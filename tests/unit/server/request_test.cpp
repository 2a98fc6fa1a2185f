#include <gtest/gtest.h>

#include "triage/cli/subcommand_names.hpp"
#include "triage/server/request.hpp"

namespace triage::server {
namespace {

bool is_served_command_line(const std::vector<std::string>& argv) {
  return server::is_served_command_line(argv, cli::subcommand_words());
}

TEST(ServedCommandLine, OneShotFormsAreServed) {
  EXPECT_TRUE(is_served_command_line({"triage", "build/bin/fuzz_ide", "crash-1"}));
  EXPECT_TRUE(is_served_command_line({"triage", "-f", "json", "fuzz_ide", "crash-1"}));
  EXPECT_TRUE(is_served_command_line({"triage", "fuzz_ide", "crash-1", "--dev", "-t", "3"}));
}

TEST(ServedCommandLine, SubcommandsHelpAndOptOutRunLocally) {
  for (const char* sub : {"bulk", "report", "attach", "core", "make-core", "script", "merge", "replay", "serve",
                          "minimize", "compare", "help"}) {
    EXPECT_FALSE(is_served_command_line({"triage", sub, "x", "y"})) << sub;
  }
  EXPECT_FALSE(is_served_command_line({"triage", "fuzz_ide"}));  // usage error: the engine says so
  EXPECT_FALSE(is_served_command_line({"triage", "fuzz_ide", "crash-1", "--no-server"}));
  EXPECT_FALSE(is_served_command_line({"triage", "fuzz_ide", "crash-1", "--help"}));
  EXPECT_FALSE(is_served_command_line({"triage", "--version", "a", "b"}));
  EXPECT_FALSE(is_served_command_line({"triage", "--from-snapshot=s.json", "x"}));
  // A binary that happens to be called like a subcommand is still a path when it has one.
  EXPECT_TRUE(is_served_command_line({"triage", "./core", "crash-1"}));
}

TEST(ServedVariables, OnlyWhatTriageReads) {
  EXPECT_TRUE(is_served_variable("PATH"));
  EXPECT_TRUE(is_served_variable("HOME"));
  EXPECT_TRUE(is_served_variable("XDG_CACHE_HOME"));
  EXPECT_TRUE(is_served_variable("LLDB_DEBUGSERVER_PATH"));
  EXPECT_TRUE(is_served_variable("TRIAGE_SCHEMA_PATH"));
  EXPECT_FALSE(is_served_variable("ASAN_OPTIONS"));  // the target's environment is triage's own
  EXPECT_FALSE(is_served_variable("LD_PRELOAD"));
}

TEST(RequestJson, CarriesBytesThatAreNotUtf8Exactly) {
  Request r;
  r.argv = {"triage", "fuzz_ide", "crash-\xff\xfe\xc3"};
  r.cwd = "/tmp/\x80";
  r.env = {{"NAME", "v\xe9"}};
  const std::string text = to_json(r);
  const auto back = request_from_json(text);
  ASSERT_TRUE(back) << text;
  EXPECT_EQ(back->argv, r.argv);
  EXPECT_EQ(back->cwd, r.cwd);
  EXPECT_EQ(back->env, r.env);
}

TEST(RequestJson, RoundTripsAndRejectsOtherVersions) {
  Request r;
  r.engine = "1:2:3:4.5";
  r.argv = {"triage", "fuzz_ide", "crash \"quoted\"\n"};
  r.cwd = "/tmp/x";
  r.env = {{"PATH", "/usr/bin"}, {"TRIAGE_PHASES", "1"}};
  const auto back = request_from_json(to_json(r));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->op, "run");
  EXPECT_EQ(back->engine, r.engine);
  EXPECT_EQ(back->argv, r.argv);
  EXPECT_EQ(back->cwd, r.cwd);
  EXPECT_EQ(back->env, r.env);
  EXPECT_FALSE(request_from_json(R"({"v":1,"op":"run"})"));  // the protocol before bytes_to_utf8
  EXPECT_FALSE(request_from_json("not json"));
  EXPECT_FALSE(request_from_json(R"({"v":2})"));  // no op

  const auto reply = reply_from_json(to_json(Reply{"done", 20, ""}));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->status, "done");
  EXPECT_EQ(reply->exit_code, 20);
}

}  // namespace
}  // namespace triage::server
