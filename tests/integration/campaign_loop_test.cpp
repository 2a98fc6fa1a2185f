// The campaign loop on a real target: bulk --watch following directories fuzzers write into, and
// minimize keeping an input in its bucket.
#include "hostile_fixture.hpp"

#include <regex>
#include <set>

#include <fmt/format.h>

namespace triage::testing {
namespace {

TEST_F(HostileInput, MinimizeNeverLeavesTheBucketForASmallerOneOfAnotherBug) {
  // 20 bytes after the word reach long_input_bug; under 12 they reach short_input_bug, which a
  // minimizer that only asks "does it still crash" slides into.
  const auto art = artifact("crash-two", "two-bugs " + std::string(20, 'x'));
  const auto oneshot = triage({"-f", "json", target(), art});
  const auto before = json_in(oneshot.output);
  ASSERT_EQ(before["blamed_frame"]["function"], "(anonymous namespace)::long_input_bug") << oneshot.output;
  const auto out = m_dir / "crash-two.min";
  const auto o = triage({"minimize", target(), art, "-o", out.string()});
  ASSERT_EQ(o.exit_status, 0) << o.output;
  EXPECT_EQ(slurp(out), "two-bugs 000000000000");  // the 12 bytes the bug needs, normalized
  EXPECT_NE(o.output.find("29 -> 21 bytes"), std::string::npos) << o.output;
  // libFuzzer's own minimizer steps slide to the other bug: those are dropped, never kept.
  EXPECT_TRUE(std::regex_search(o.output, std::regex("libFuzzer's minimizer: [0-9]+ steps? kept.*, [1-9][0-9]* of another "
                                                     "bucket dropped")))
      << o.output;
  const auto after = json_in(triage({"-f", "json", target(), out.string()}).output);
  EXPECT_EQ(after["blamed_frame"]["function"], "(anonymous namespace)::long_input_bug");
  EXPECT_EQ(after["signature"]["id"], before["signature"]["id"]);
  // Every bucket of a store: the representative of each, into <out>/minimized/<bucket>.
  artifact("crash-short", "two-bugs " + std::string(5, 'y'));
  const auto bulk = triage({"bulk", "--bin-dir", k_helper_bin_dir, "-o", (m_dir / "out").string(), "-j", "1",
                            (m_dir / "in").string()});
  ASSERT_EQ(bulk.exit_status, 3) << bulk.output;
  const auto all = triage({"minimize", "--store", (m_dir / "out").string()});
  EXPECT_EQ(all.exit_status, 0) << all.output;
  EXPECT_EQ(slurp(m_dir / "out" / "minimized" / before["signature"]["id"].get<std::string>()), "two-bugs 000000000000")
      << all.output;
  size_t minimized = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(m_dir / "out" / "minimized")) {
    ++minimized;
  }
  EXPECT_EQ(minimized, 2u) << all.output;
  // The minimized inputs went into the store: each bucket's representative is its minimized input
  // (run under the debugger: its own reproduce line and lldb command file), the counts unchanged.
  const auto report = triage({"report", (m_dir / "out").string(), "-f", "json"});
  ASSERT_EQ(report.exit_status, 0) << report.output;
  const auto j = json_in(report.output);
  ASSERT_EQ(j["buckets"].size(), 2u) << report.output;
  const std::string long_id = before["signature"]["id"];
  bool seen_long = false;
  for (const auto& b : j["buckets"]) {
    const std::string id = b["id"];
    const std::string min_path = (m_dir / "out" / "minimized" / id).string();
    EXPECT_EQ(b["representative"], min_path) << b.dump(2);
    EXPECT_EQ(b["count"], 1) << b.dump(2);
    EXPECT_EQ(b["members"].size(), 1u);
    EXPECT_EQ(b["reproduce"], target() + " " + min_path);
    EXPECT_TRUE(b["lldb_command_file"].get<std::string>().starts_with("# triage: lldb command file for " + min_path + "\n"))
        << b["lldb_command_file"];
    if (id == long_id) {
      seen_long = true;
      EXPECT_EQ(b["minimized_from"], art);
      EXPECT_EQ(b["minimized_from_size"], 29);
      EXPECT_EQ(b["representative_size"], 21);
      EXPECT_EQ(b["blamed_function"], "(anonymous namespace)::long_input_bug");
    }
  }
  EXPECT_TRUE(seen_long) << report.output;
  EXPECT_NE(slurp(m_dir / "out" / "buckets.html").find("<dd class=\"minimized\">29 &rarr; 21 bytes, from <code>" + art +
                                                     "</code></dd>"),
            std::string::npos);
  EXPECT_NE(triage({"report", (m_dir / "out").string()}).output.find("minimized: 29 -> 21 bytes, from " + art),
            std::string::npos);
  // Minimizing again starts from the minimized input and keeps the original as the one it came from.
  const auto again = triage({"minimize", "--store", (m_dir / "out").string()});
  EXPECT_EQ(again.exit_status, 0) << again.output;
  EXPECT_NE(again.output.find("21 -> 21 bytes"), std::string::npos) << again.output;
  EXPECT_NE(again.output.find("(the representative now; 29 bytes before)"), std::string::npos) << again.output;
}

TEST_F(HostileInput, WatchTriagesWhatFuzzersAddIncludingNewDirectoriesAndEndsOnSigint) {
  std::ofstream(m_dir / "in" / "hostile_target" / "crash-0001") << "echo-abort first";
  const auto map = m_dir / "targets.toml";
  std::ofstream(map) << "[targets]\nhostile_target = \"" << target() << "\"\nlate_target = \"" << target() << "\"\n";
  const pid_t watcher = start({"bulk", "--watch", "--map", map.string(), "-o", (m_dir / "out").string(), "-j", "1",
                               "-f", "json", (m_dir / "in").string()},
                              "watch");
  const auto wait_for = [&](const std::string& text) {
    for (int i = 0; i < 600 && slurp(m_dir / "watch.out").find(text) == std::string::npos; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return slurp(m_dir / "watch.out").find(text) != std::string::npos;
  };
  ASSERT_TRUE(wait_for("crash-0001)\n")) << slurp(m_dir / "watch.out");  // its new-bucket line
  // A fuzzer writes a second artifact, and a new target's directory appears with a third.
  std::ofstream(m_dir / "in" / "hostile_target" / "crash-0002") << "sigkill";
  ASSERT_TRUE(wait_for("crash-0002)\n")) << slurp(m_dir / "watch.out");
  fs::create_directories(m_dir / "in" / "late_target");
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  std::ofstream(m_dir / "in" / "late_target" / "crash-0003") << "exit";
  ASSERT_TRUE(wait_for("crash-0003)\n")) << slurp(m_dir / "watch.out");
  // The reports are rewritten after each batch (the new-bucket line comes first): never half a file.
  nlohmann::json during;
  for (int i = 0; i < 100; ++i) {
    during = nlohmann::json::parse(slurp(m_dir / "out" / "buckets.json"), nullptr, false);
    ASSERT_FALSE(during.is_discarded());
    if (during["buckets"].size() == 3u) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(during["buckets"].size(), 3u);
  EXPECT_NE(slurp(m_dir / "out" / "buckets.html").find("<meta http-equiv=\"refresh\" content=\"10\">"),
            std::string::npos);
  EXPECT_EQ(kill_after(watcher, SIGINT, std::chrono::milliseconds(100)), 0);
  const std::string out = slurp(m_dir / "watch.out");
  EXPECT_NE(out.find("triage bulk: watch ended after 3 artifacts triaged"), std::string::npos) << out;
  EXPECT_EQ(stored_results(m_dir / "out"), 3);
  std::map<std::string, int> kinds;
  for (const auto& b : json_in(out.substr(out.find("watch ended")))["buckets"]) {
    ++kinds[b["kind"]];
  }
  EXPECT_EQ(kinds, (std::map<std::string, int>{{"abort", 1}, {"killed", 1}, {"target-exit", 1}})) << out;
  EXPECT_TRUE(left_behind(m_dir.string(), mark()).empty());
}

TEST_F(HostileInput, WatchTakesABurstOfArtifactsEachOnceWithoutLosingAny) {
  // A campaign's fuzzers writing a burst at once: 400 distinct artifacts within a few hundred ms, and
  // one the fuzzer deletes again right away (written, then gone before or after it was seen).
  constexpr int k_burst = 400;
  const auto map = m_dir / "targets.toml";
  std::ofstream(map) << "[targets]\nhostile_target = \"" << target() << "\"\n";
  const pid_t watcher = start({"bulk", "--watch", "--map", map.string(), "-o", (m_dir / "out").string(), "-j", "2",
                               "-f", "json", (m_dir / "in").string()},
                              "watch");
  for (int i = 0; i < 50 && slurp(m_dir / "watch.out").find("watching") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto dir = m_dir / "in" / "hostile_target";
  std::ofstream(dir / "crash-deleted") << "echo-abort deleted";
  for (int i = 0; i < k_burst; ++i) {
    std::ofstream(dir / ("crash-" + std::to_string(10000 + i))) << "echo-abort burst " << i;
  }
  fs::remove(dir / "crash-deleted");
  int stored = 0;
  for (int i = 0; i < 2400 && (stored = stored_results(m_dir / "out")) < k_burst; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // One more rescan period: nothing else arrives, nothing is run again.
  std::this_thread::sleep_for(std::chrono::seconds(3));
  EXPECT_EQ(kill_after(watcher, SIGINT, std::chrono::milliseconds(100)), 0);
  const std::string out = slurp(m_dir / "watch.out");
  stored = stored_results(m_dir / "out");
  EXPECT_TRUE(stored == k_burst || stored == k_burst + 1) << stored;  // + the deleted one, if it was run in time
  // The deleted one is never an error: gone before its run, it is simply gone.
  const auto report = json_in(out.substr(out.find("watch ended")));
  ASSERT_EQ(report["buckets"].size(), 1u) << out;
  EXPECT_EQ(report["buckets"][0]["kind"], "abort");
  EXPECT_EQ(report["errors"].size(), 0u) << out;
  // Every burst artifact is a member, once.
  std::set<std::string> members;
  for (const auto& m : report["buckets"][0]["members"]) {
    EXPECT_TRUE(members.insert(m["path"].get<std::string>()).second) << m["path"];
  }
  for (int i = 0; i < k_burst; ++i) {
    EXPECT_TRUE(members.contains((dir / ("crash-" + std::to_string(10000 + i))).string())) << i;
  }
  EXPECT_NE(out.find(fmt::format("triage bulk: watch ended after {} artifacts triaged", stored)), std::string::npos)
      << out.substr(out.size() > 2000 ? out.size() - 2000 : 0);
  EXPECT_TRUE(left_behind(m_dir.string(), mark()).empty());
}

}  // namespace
}  // namespace triage::testing
