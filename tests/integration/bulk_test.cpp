// Bulk mode end to end: discovery by target directory, one bucket per bug across two harnesses, the
// smallest artifact as representative, an incremental rerun that launches nothing, the HTML and SARIF
// files, sharded runs merged, --retries (flaky and dead artifacts). bulk_resume_test.cpp: kill -9.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "ground_truth.hpp"
#include "triage/debugger/native_run.hpp"

namespace triage::testing {
namespace {

namespace fs = std::filesystem;

const std::string k_bin_dir = TRIAGE_TEST_BIN_DIR;
const std::string k_artifacts = TRIAGE_TEST_ARTIFACTS_DIR;
const std::string k_helper_bin_dir = TRIAGE_TEST_HELPER_BIN_DIR;

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

/// bucket id -> count, from a bulk/report/merge JSON output.
std::map<std::string, int> bucket_counts(const nlohmann::json& j) {
  std::map<std::string, int> out;
  for (const auto& b : j["buckets"]) {
    out[b["id"]] = b["count"];
  }
  return out;
}

class Bulk : public ::testing::Test {
 protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() / ("triage-bulk-" + std::to_string(::getpid()));
    fs::remove_all(m_dir);
    // Two artifacts of each of two bugs found by two harnesses, plus one unmapped directory.
    for (const char* bug : {"RTC-03", "BAT-03"}) {
      std::map<std::string, int> per_target;
      for (const auto& row : load_ground_truth(k_artifacts)) {
        if (row.bug == bug && per_target[row.target]++ < 2) {
          fs::create_directories(m_dir / "in" / row.target);
          fs::copy_file(k_artifacts + "/" + row.artifact, m_dir / "in" / row.artifact);
          ++m_copied[bug];
        }
      }
    }
    fs::create_directories(m_dir / "in" / "fuzz_nosuchtarget");
    std::ofstream(m_dir / "in" / "fuzz_nosuchtarget" / "crash-0") << "x";
  }
  void TearDown() override { fs::remove_all(m_dir); }

  std::pair<int, std::string> bulk(std::vector<std::string> extra) {
    std::vector<std::string> argv{k_bin_dir + "/triage", "bulk", "--bin-dir", k_bin_dir, "-o", (m_dir / "out").string(),
                                  "-j", "2", "-f", "json"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back((m_dir / "in").string());
    auto run = debugger::run_native(argv, {"PATH=/usr/bin:/bin"}, (m_dir / "log").string(), 300);
    EXPECT_TRUE(run.has_value());
    return {run->exit_status.value_or(-1), run->output};
  }

  /// Any triage command; stdout and stderr together.
  std::pair<int, std::string> triage(const std::vector<std::string>& args) {
    std::vector<std::string> argv{k_bin_dir + "/triage"};
    argv.insert(argv.end(), args.begin(), args.end());
    auto run = debugger::run_native(argv, {"PATH=/usr/bin:/bin"}, (m_dir / "log").string(), 300);
    EXPECT_TRUE(run.has_value());
    return {run->exit_status.value_or(-1), run->output};
  }

  fs::path m_dir;
  std::map<std::string, int> m_copied;
};

/// N of the "(N to triage, ..." line bulk prints on stderr; -1 when missing.
int to_triage(const std::string& output) {
  std::smatch m;
  return std::regex_search(output, m, std::regex(R"(\((\d+) to triage, )")) ? std::stoi(m[1]) : -1;
}

std::string fmt_results(int n, const std::string& dir) {
  return "triage merge: " + std::to_string(n) + " results from " + dir + "\n";
}

nlohmann::json json_of(const std::string& output) {
  const auto start = output.find("{\n");
  return nlohmann::json::parse(start == std::string::npos ? output : output.substr(start), nullptr, false);
}

TEST_F(Bulk, OneBucketPerBugAcrossHarnessesAndIncrementalRerun) {
  ASSERT_GE(m_copied["RTC-03"], 3);
  ASSERT_GE(m_copied["BAT-03"], 3);
  auto [rc, out] = bulk({});
  EXPECT_EQ(rc, 3) << out;  // new buckets appeared
  const auto j = json_of(out);
  ASSERT_FALSE(j.is_discarded()) << out;
  ASSERT_EQ(j["buckets"].size(), 2u) << out;
  for (const auto& b : j["buckets"]) {
    EXPECT_EQ(b["targets"].size(), 2u) << b.dump();
    EXPECT_EQ(b["count"], b["artifacts"].size());
    const std::string fn = b["blamed_function"];
    EXPECT_TRUE(fn == "devices::rtc::CmosRtc::from_bcd" || fn == "devices::battery::Battery::time_remaining_minutes") << fn;
    // The representative is the smallest artifact of the bucket.
    uint64_t smallest = UINT64_MAX;
    for (const auto& a : b["artifacts"]) {
      smallest = std::min<uint64_t>(smallest, fs::file_size(a.get<std::string>()));
    }
    EXPECT_EQ(b["representative_size"], smallest);
    // buckets.json's structured members and frames (docs/json-schema.md).
    EXPECT_EQ(b["new"], true);
    ASSERT_EQ(b["members"].size(), b["artifacts"].size());
    for (size_t i = 0; i < b["members"].size(); ++i) {
      const auto& m = b["members"][i];
      const fs::path path = m["path"].get<std::string>();
      EXPECT_EQ(m["path"], b["artifacts"][i]);
      EXPECT_EQ(m["target"], path.parent_path().filename().string());
      EXPECT_EQ(m["size"], fs::file_size(path));
      EXPECT_EQ(m["sha1"].get<std::string>().size(), 40u);
      EXPECT_NE(path.filename().string().find(m["sha1"].get<std::string>()), std::string::npos)
          << "libFuzzer names an artifact by its sha1: " << path;
    }
    ASSERT_FALSE(b["backtrace_frames"].empty());
    ASSERT_EQ(b["backtrace_frames"].size(), b["backtrace"].size());
    bool blamed_seen = false;
    for (const auto& f : b["backtrace_frames"]) {
      if (f["function"] == fn && f["ignored_by"].is_null()) {
        blamed_seen = true;
        EXPECT_EQ(b["blamed_location"], f["file"].get<std::string>() + ":" + std::to_string(f["line"].get<int>()));
        break;
      }
      EXPECT_TRUE(f["ignored_by"].is_string()) << "the frames above the blamed one are ignored: " << f.dump();
    }
    EXPECT_TRUE(blamed_seen) << b["backtrace_frames"].dump();
  }
  ASSERT_EQ(j["unmapped"].size(), 1u);
  EXPECT_NE(j["unmapped"][0]["reason"].get<std::string>().find("fuzz_nosuchtarget"), std::string::npos);
  EXPECT_TRUE(fs::exists(m_dir / "out" / "campaign.db"));
  EXPECT_TRUE(fs::exists(m_dir / "out" / "buckets.md"));

  // Same command again: nothing to triage, same buckets, no new bucket.
  auto [rc2, out2] = bulk({});
  EXPECT_EQ(rc2, 0) << out2;
  EXPECT_NE(out2.find("(0 to triage, "), std::string::npos) << out2;
  const auto j2 = json_of(out2);
  ASSERT_FALSE(j2.is_discarded());
  EXPECT_EQ(j2["buckets"].size(), 2u);
  for (const auto& b : j2["buckets"]) {
    EXPECT_EQ(b["new"], false) << b["id"];  // the store had it before this run
  }
}

TEST_F(Bulk, UnpinnedWorkersFindTheSameBuckets) {
  // --no-pin leaves the workers, their lldb-servers and targets to the scheduler (worker_cpu.hpp).
  auto [rc, out] = bulk({"--no-pin"});
  EXPECT_EQ(rc, 3) << out;
  const auto j = json_of(out);
  ASSERT_FALSE(j.is_discarded()) << out;
  ASSERT_EQ(j["buckets"].size(), 2u) << out;
  int total = 0;
  for (const auto& b : j["buckets"]) {
    EXPECT_EQ(b["targets"].size(), 2u) << b.dump();
    total += b["count"].get<int>();
  }
  EXPECT_EQ(total, m_copied["RTC-03"] + m_copied["BAT-03"]);
}

TEST_F(Bulk, ReportReadsTheStoreWithoutRunning) {
  (void)bulk({});
  auto run = debugger::run_native({k_bin_dir + "/triage", "report", (m_dir / "out").string(), "-f", "markdown"},
                                  {"PATH=/usr/bin:/bin"}, (m_dir / "log2").string(), 60);
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->exit_status, 0);
  EXPECT_NE(run->output.find("## Crash buckets"), std::string::npos) << run->output;
  EXPECT_NE(run->output.find("devices::rtc::CmosRtc::from\\_bcd"), std::string::npos) << run->output;
}

TEST_F(Bulk, ProgressLineAndATableThatFitsColumns) {
  auto [rc, out] = bulk({});
  ASSERT_EQ(rc, 3) << out;
  const int total = m_copied["RTC-03"] + m_copied["BAT-03"];
  // Not a terminal: the last progress line, with the buckets, the new ones and the errors.
  EXPECT_NE(out.find(fmt::format("triage bulk: [{}/{}] 2 buckets (2 new), 0 errors, ", total, total)),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("ETA 0:00\n"), std::string::npos) << out;
  for (const auto& [columns, rep_inline] : {std::pair{"100", false}, std::pair{"400", true}}) {
    auto run = debugger::run_native({k_bin_dir + "/triage", "report", (m_dir / "out").string()},
                                    {"PATH=/usr/bin:/bin", std::string("COLUMNS=") + columns},
                                    (m_dir / "log2").string(), 60);
    ASSERT_TRUE(run.has_value());
    EXPECT_EQ(run->exit_status, 0) << run->output;
    std::istringstream lines(run->output);
    int rows = 0;
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("  1  ") || line.starts_with("  2  ")) {
        ++rows;
        EXPECT_LE(line.size(), std::stoul(columns)) << line;
        EXPECT_NE(line.find("  low     "), std::string::npos) << "abort and fpe are not exploitable: " << line;
        EXPECT_EQ(line.find(m_dir.string()) != std::string::npos, rep_inline) << columns << ": " << line;
      }
    }
    EXPECT_EQ(rows, 2) << run->output;
    // The representatives are there either way.
    EXPECT_NE(run->output.find((m_dir / "in").string()), std::string::npos) << run->output;
  }
}

TEST_F(Bulk, EveryBucketCarriesItsReproducerAndAnLldbCommandFileThatRuns) {
  auto [rc, out] = bulk({"--source-root", TRIAGE_TEST_SOURCE_DIR, "--env", "TRIAGE_TEST_MARK=bulk reproducer"});
  EXPECT_EQ(rc, 3) << out;
  const auto j = json_of(out);
  ASSERT_EQ(j["buckets"].size(), 2u) << out;
  nlohmann::json rtc;
  for (const auto& b : j["buckets"]) {
    const std::string rep = b["representative"];
    const std::string target = fs::path(rep).parent_path().filename().string();
    EXPECT_EQ(b["binary"], k_bin_dir + "/" + target) << b.dump(2);
    EXPECT_EQ(b["reproduce"], k_bin_dir + "/" + target + " " + rep);
    const std::string file = b["lldb_command_file"];
    EXPECT_TRUE(file.starts_with("# triage: lldb command file for " + rep + "\n")) << file;
    // The run's --env reaches the target under lldb too; the lldb_scripts formatters are loaded.
    EXPECT_NE(file.find("\nsettings set target.env-vars ASAN_OPTIONS=detect_leaks=0:color=never RUST_BACKTRACE=0 "
                        "\"TRIAGE_TEST_MARK=bulk reproducer\"\n"),
              std::string::npos)
        << file;
    EXPECT_NE(file.find("\ncommand script import " TRIAGE_TEST_SOURCE_DIR "/lldb_scripts/triage_lldb.py\n"),
              std::string::npos)
        << file;
    if (b["blamed_function"] == "devices::rtc::CmosRtc::from_bcd") {
      rtc = b;
    }
  }
  ASSERT_FALSE(rtc.is_null()) << out;
  // The stored command file, run as the page says, stops in the blamed frame with the device's registers.
  const fs::path script = m_dir / "bucket.lldb";
  std::ofstream(script) << rtc["lldb_command_file"].get<std::string>();
  auto lldb = debugger::run_native({TRIAGE_TEST_LLVM_ROOT "/bin/lldb", "-b", "-s", script.string(), "--",
                                    rtc["binary"], rtc["representative"]},
                                   {"PATH=/usr/bin:/bin", "LLDB_DEBUGSERVER_PATH=" TRIAGE_TEST_LLVM_ROOT "/bin/lldb-server"},
                                   (m_dir / "lldb.log").string(), 120);
  ASSERT_TRUE(lldb.has_value());
  EXPECT_EQ(lldb->exit_status, 0) << lldb->output;
  const auto select = lldb->output.find("(lldb) frame select 1");
  ASSERT_NE(select, std::string::npos) << lldb->output;
  EXPECT_NE(lldb->output.find("from_bcd", select), std::string::npos) << lldb->output.substr(select, 400);
  EXPECT_NE(lldb->output.find("(lldb) frame variable this->m_reg_b"), std::string::npos) << lldb->output;

  // The HTML page: per bucket the reproduce line and the command file; the blamed files linked
  // relative to the page (under --source-root).
  const std::string html = slurp(m_dir / "out" / "buckets.html");
  size_t files = 0;
  for (size_t at = html.find("<pre class=\"lldb-file\">"); at != std::string::npos;
       at = html.find("<pre class=\"lldb-file\">", at + 1)) {
    ++files;
  }
  EXPECT_EQ(files, 2u);
  EXPECT_NE(html.find("<pre class=\"reproduce\">" + rtc["reproduce"].get<std::string>() + "</pre>"), std::string::npos);
  const std::string link =
      (fs::path(TRIAGE_TEST_SOURCE_DIR) / "devices/rtc/timekeeping.cpp").lexically_relative(m_dir / "out").string();
  EXPECT_NE(html.find("<a class=\"source\" href=\"" + link + "\"><code>devices/rtc/timekeeping.cpp:"), std::string::npos)
      << link;
  // buckets.md says how to reproduce each bucket too.
  EXPECT_NE(slurp(m_dir / "out" / "buckets.md").find("- reproduce: "), std::string::npos);
}

TEST_F(Bulk, WritesHtmlAndSarifAndPrintsThem) {
  // SARIF locations are relative to --source-root (default: the working directory, which ctest sets
  // to the build tree).
  (void)bulk({"--source-root", TRIAGE_TEST_SOURCE_DIR});
  const std::string html = slurp(m_dir / "out" / "buckets.html");
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>")) << html.substr(0, 200);
  EXPECT_NE(html.find("devices::rtc::CmosRtc::from_bcd"), std::string::npos);
  EXPECT_EQ(html.find("src=\"http"), std::string::npos);
  const auto sarif = nlohmann::json::parse(slurp(m_dir / "out" / "buckets.sarif"), nullptr, false);
  ASSERT_FALSE(sarif.is_discarded());
  EXPECT_EQ(sarif["version"], "2.1.0");
  ASSERT_EQ(sarif["runs"][0]["results"].size(), 2u);
  std::set<std::string> uris;
  for (const auto& r : sarif["runs"][0]["results"]) {
    EXPECT_EQ(r["level"], "note");  // abort and fpe are not-exploitable
    EXPECT_EQ(r["properties"]["targets"].size(), 2u);
    const auto& loc = r["locations"][0]["physicalLocation"];
    EXPECT_EQ(loc["artifactLocation"]["uriBaseId"], "SRCROOT");
    uris.insert(loc["artifactLocation"]["uri"].get<std::string>());
  }
  EXPECT_EQ(uris, (std::set<std::string>{"devices/battery/commands.cpp", "devices/rtc/timekeeping.cpp"}))
      << sarif.dump(2);

  auto [rc, out] = triage({"report", (m_dir / "out").string(), "-f", "sarif", "--source-root", TRIAGE_TEST_SOURCE_DIR});
  EXPECT_EQ(rc, 0);
  const auto printed = nlohmann::json::parse(out, nullptr, false);
  ASSERT_FALSE(printed.is_discarded()) << out;
  EXPECT_EQ(printed["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"],
            "file://" + fs::path(TRIAGE_TEST_SOURCE_DIR).string() + "/");
  // report prints the file it writes (without bulk's unmapped list: the store does not keep it).
  std::tie(rc, out) = triage({"report", (m_dir / "out").string(), "-f", "html"});
  EXPECT_EQ(rc, 0);
  EXPECT_TRUE(out.starts_with("<!DOCTYPE html>"));
  EXPECT_EQ(out, slurp(m_dir / "out" / "buckets.html"));
  EXPECT_NE(html.find("<h2>Unmapped (1)</h2>"), std::string::npos);
}

TEST_F(Bulk, ShardedRunsMergeIntoTheBucketsOfOneRun) {
  const std::string all = (m_dir / "all").string();
  const std::string shard1 = (m_dir / "shard1").string();
  const std::string shard2 = (m_dir / "shard2").string();
  const std::string merged = (m_dir / "merged").string();
  const std::string in = (m_dir / "in").string();
  auto [rc_all, out_all] = triage({"bulk", "--bin-dir", k_bin_dir, "-o", all, "-j", "2", "-f", "json", in});
  auto [rc1, out1] = triage({"bulk", "--bin-dir", k_bin_dir, "-o", shard1, "-j", "2", "--shard", "1/2", in});
  auto [rc2, out2] = triage({"bulk", "--bin-dir", k_bin_dir, "-o", shard2, "-j", "2", "--shard", "2/2", in});
  const int total = m_copied["RTC-03"] + m_copied["BAT-03"];
  EXPECT_EQ(to_triage(out_all), total) << out_all;
  EXPECT_GT(to_triage(out1), 0) << out1;
  EXPECT_GT(to_triage(out2), 0) << out2;
  EXPECT_EQ(to_triage(out1) + to_triage(out2), total);

  auto [rc, out] = triage({"merge", merged, shard1, shard2, "-f", "json"});
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find(fmt_results(to_triage(out1), shard1)), std::string::npos) << out;
  EXPECT_NE(out.find(fmt_results(to_triage(out2), shard2)), std::string::npos) << out;
  const auto one_run = json_of(out_all);
  const auto combined = json_of(out);
  ASSERT_FALSE(one_run.is_discarded());
  ASSERT_FALSE(combined.is_discarded()) << out;
  EXPECT_EQ(bucket_counts(combined), bucket_counts(one_run));
  EXPECT_EQ(bucket_counts(combined).size(), 2u);
  EXPECT_EQ(combined["crashes"], total);
  for (const char* file : {"campaign.db", "buckets.json", "buckets.md", "buckets.html", "buckets.sarif"}) {
    EXPECT_TRUE(fs::exists(fs::path(merged) / file)) << file;
  }
  // Merging again adds nothing; a missing shard is an error before anything is written.
  std::tie(rc, out) = triage({"merge", merged, shard1, "-f", "json"});
  EXPECT_EQ(rc, 0);
  EXPECT_NE(out.find(fmt_results(0, shard1)), std::string::npos) << out;
  std::tie(rc, out) = triage({"merge", merged, (m_dir / "nosuchdir").string()});
  EXPECT_EQ(rc, 31) << out;
  EXPECT_NE(out.find("no campaign store in"), std::string::npos) << out;
}

// README's GNU parallel command, on this machine (no -S): three shards, merged, are the one run.
TEST_F(Bulk, GnuParallelShardsMergeIntoTheBucketsOfOneRun) {
  ASSERT_EQ(::access("/usr/bin/parallel", X_OK), 0) << "GNU parallel is missing: run .ci/install-deps";
  const std::string in = (m_dir / "in").string();
  auto [rc_all, out_all] = triage({"bulk", "--bin-dir", k_bin_dir, "-o", (m_dir / "all").string(), "-f", "json", in});
  ASSERT_EQ(rc_all, 3) << out_all;
  const std::string triage_bin = k_bin_dir + "/triage";
  const std::string command = "cd '" + m_dir.string() + "' && N=3 && parallel --will-cite '" + triage_bin +
                              " bulk --bin-dir " + k_bin_dir + " --shard {}/'$N' -o shards/out-{} in/ || test $? -eq 3' "
                              "::: $(seq $N) && '" + triage_bin + "' merge triage-out shards/out-* -f json";
  auto run = debugger::run_native({"/bin/sh", "-c", command}, {"PATH=/usr/bin:/bin", "HOME=" + m_dir.string()},
                                  (m_dir / "log").string(), 300);
  ASSERT_TRUE(run.has_value());
  ASSERT_EQ(run->exit_status.value_or(-1), 0) << run->output;
  for (int k = 1; k <= 3; ++k) {
    EXPECT_TRUE(fs::exists(m_dir / "shards" / ("out-" + std::to_string(k)) / "campaign.db")) << k;
  }
  const auto merged = json_of(run->output);
  const auto one_run = json_of(out_all);
  ASSERT_FALSE(merged.is_discarded()) << run->output;
  EXPECT_EQ(bucket_counts(merged), bucket_counts(one_run));
  EXPECT_EQ(bucket_counts(merged).size(), 2u);
  EXPECT_EQ(merged["crashes"], m_copied["RTC-03"] + m_copied["BAT-03"]);
  std::map<std::string, std::string> reps_merged, reps_one;
  for (const auto& b : merged["buckets"]) {
    reps_merged[b["id"]] = fs::path(b["representative"].get<std::string>()).filename().string();
  }
  for (const auto& b : one_run["buckets"]) {
    reps_one[b["id"]] = fs::path(b["representative"].get<std::string>()).filename().string();
  }
  EXPECT_EQ(reps_merged, reps_one);
}

TEST_F(Bulk, ShardValuesThatCannotBeRightAreUsageErrors) {
  for (const char* bad : {"3/2", "0/2", "1/0", "-1/2", "1/2x", "1/99999999999"}) {
    auto [rc, out] = triage({"bulk", "--bin-dir", k_bin_dir, "-o", (m_dir / "bad").string(), "--shard", bad,
                             (m_dir / "in").string()});
    EXPECT_EQ(rc, 2) << bad << ": " << out;
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
    EXPECT_NE(out.find("--shard '" + std::string(bad) + "'"), std::string::npos) << out;
    EXPECT_FALSE(fs::exists(m_dir / "bad")) << "nothing is written before the options are checked";
  }
}

TEST(BulkRetries, FlakyArtifactsCrashOnARetryDeadOnesNever) {
  const fs::path dir = fs::temp_directory_path() / ("triage-retries-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "in" / "flaky_target");
  fs::create_directories(dir / "counters");
  // name -> run from which on it aborts (0: never). Sizes differ, so "always" is the representative.
  const std::map<std::string, std::string> artifacts{{"crash-always", "1"}, {"crash-flaky", "2\n# padding"},
                                                     {"crash-dead", "0"}};
  auto write_artifacts = [&] {
    for (const auto& [name, abort_from] : artifacts) {
      std::ofstream(dir / "in" / "flaky_target" / name) << (dir / "counters" / name).string() << "\n" << abort_from;
      fs::remove(dir / "counters" / name);
    }
  };
  auto counter = [&](const std::string& name) { return std::stoi(slurp(dir / "counters" / name)); };
  auto bulk = [&](const std::string& out, std::vector<std::string> extra) {
    std::vector<std::string> argv{k_bin_dir + "/triage", "bulk", "--bin-dir", k_helper_bin_dir, "-o", (dir / out).string(),
                                  "-j", "2", "-f", "json"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    argv.push_back((dir / "in").string());
    auto run = debugger::run_native(argv, {"PATH=/usr/bin:/bin"}, (dir / "log").string(), 300);
    EXPECT_TRUE(run.has_value());
    return json_of(run->output);
  };

  // Without --retries, the flaky artifact is a no-repro like the dead one.
  write_artifacts();
  auto j = bulk("once", {});
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(bucket_counts(j).size(), 1u);
  EXPECT_EQ(j["no_repro"].size(), 2u);
  EXPECT_EQ(j["flaky"], 0);

  write_artifacts();
  j = bulk("retries", {"--retries", "2"});
  ASSERT_FALSE(j.is_discarded());
  ASSERT_EQ(j["buckets"].size(), 1u) << j.dump(2);
  const auto& b = j["buckets"][0];
  EXPECT_EQ(b["kind"], "abort");
  EXPECT_EQ(b["count"], 2);
  EXPECT_EQ(fs::path(b["representative"].get<std::string>()).filename(), "crash-always");
  ASSERT_EQ(b["flaky"].size(), 1u);
  EXPECT_EQ(fs::path(b["flaky"][0]["artifact"].get<std::string>()).filename(), "crash-flaky");
  EXPECT_EQ(b["flaky"][0]["crashing_runs"], 1);
  EXPECT_EQ(b["flaky"][0]["runs"], 2);
  EXPECT_EQ(j["flaky"], 1);
  ASSERT_EQ(j["no_repro"].size(), 1u);
  const std::string dead = j["no_repro"][0];
  EXPECT_EQ(fs::path(dead).filename(), "crash-dead");
  EXPECT_EQ(j["no_repro_runs"][dead], 3);
  // Executions of the binary: a crash is not retried; a run without a crash executes it twice (under
  // the debugger, then natively for LeakSanitizer), so dead used 1 + 2 runs of 2 executions and
  // flaky crashed on the execution after its first run.
  EXPECT_EQ(counter("crash-always"), 1);
  const int per_quiet_run = counter("crash-dead") / 3;
  EXPECT_GE(per_quiet_run, 1);
  EXPECT_EQ(counter("crash-dead"), 3 * per_quiet_run);
  EXPECT_EQ(counter("crash-flaky"), per_quiet_run + 1);

  auto run = debugger::run_native({k_bin_dir + "/triage", "report", (dir / "retries").string()}, {"PATH=/usr/bin:/bin"},
                                  (dir / "log").string(), 60);
  ASSERT_TRUE(run.has_value());
  EXPECT_NE(run->output.find("crashes in 1 buckets (1 flaky), 1 no-repro, 0 errors"), std::string::npos) << run->output;
  EXPECT_NE(run->output.find("flaky: reproduced 1 of 2 runs: " + (dir / "in" / "flaky_target" / "crash-flaky").string()),
            std::string::npos)
      << run->output;
  EXPECT_NE(run->output.find("no-repro (1):\n  " + dead + "  (no crash in 3 runs)\n"), std::string::npos) << run->output;
  fs::remove_all(dir);
}

TEST_F(Bulk, ABugSwitchedOffIsFixedOnTheNewBuildAndTheOtherStillCrashes) {
  auto [rc, out] = bulk({});
  ASSERT_EQ(rc, 3) << out;
  const auto first = json_of(out);
  ASSERT_EQ(first["buckets"].size(), 2u) << out;
  std::string rtc_bucket;
  std::string bat_bucket;
  for (const auto& b : first["buckets"]) {
    const std::string artifact = b["representative"];
    (artifact.find("fuzz_rtc") != std::string::npos || b["blamed_function"].get<std::string>().find("rtc") !=
                                                           std::string::npos
         ? rtc_bucket
         : bat_bucket) = b["id"];
  }
  ASSERT_FALSE(rtc_bucket.empty()) << out;
  ASSERT_FALSE(bat_bucket.empty()) << out;
  // The same binaries with RTC-03 switched off: another build for the store, every artifact runs again.
  auto [rc2, out2] = bulk({"--env", "TRIAGE_FIXED_BUGS=RTC-03"});
  EXPECT_EQ(rc2, 0) << out2;  // nothing new
  EXPECT_EQ(to_triage(out2), m_copied["RTC-03"] + m_copied["BAT-03"]) << out2;
  EXPECT_NE(out2.find("triage bulk: fixed on the new build: bucket " + rtc_bucket), std::string::npos) << out2;
  EXPECT_NE(out2.find("against the previous build: 0 new, 1 still crashing, 1 fixed, 0 changed, 0 flaky"),
            std::string::npos) << out2;
  // The reports say it too: the BAT-03 bucket is still crashing, in buckets.json and SARIF.
  const auto second = json_of(out2);
  ASSERT_EQ(second["buckets"].size(), 1u) << out2;
  EXPECT_EQ(second["buckets"][0]["id"], bat_bucket);
  EXPECT_EQ(second["buckets"][0]["status"], "still-crashing");
  const auto sarif = nlohmann::json::parse(slurp(m_dir / "out" / "buckets.sarif"), nullptr, false);
  ASSERT_FALSE(sarif.is_discarded());
  EXPECT_EQ(sarif["runs"][0]["results"][0]["baselineState"], "unchanged");
  EXPECT_NE(slurp(m_dir / "out" / "buckets.html").find("<span class=\"badge status-still-crashing\">still-crashing</span>"),
            std::string::npos);
  // The bucket the new build fixed is listed as gone, in the page and in buckets.json.
  EXPECT_NE(slurp(m_dir / "out" / "buckets.html").find("<li><span class=\"badge status-fixed\">fixed</span> <code>" +
                                                      rtc_bucket + "</code>"),
            std::string::npos);
  ASSERT_EQ(second["gone"].size(), 1u) << out2;
  EXPECT_EQ(second["gone"][0]["id"], rtc_bucket);
  EXPECT_EQ(second["gone"][0]["status"], "fixed");
  auto [rc3, out3] = triage({"compare", (m_dir / "out").string(), "-f", "json"});
  EXPECT_EQ(rc3, 0) << out3;
  const auto j = nlohmann::json::parse(out3, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << out3;
  EXPECT_EQ(j["counts"]["fixed"], 1);
  EXPECT_EQ(j["counts"]["still_crashing"], 1);
  EXPECT_EQ(j["counts"]["new"], 0);
  std::map<std::string, std::string> status;
  for (const auto& b : j["buckets"]) {
    status[b["bucket"]] = b["status"];
  }
  EXPECT_EQ(status[rtc_bucket], "fixed");
  EXPECT_EQ(status[bat_bucket], "still-crashing");
  // A third run of the same build runs nothing and compares the same way.
  auto [rc4, out4] = bulk({"--env", "TRIAGE_FIXED_BUGS=RTC-03"});
  EXPECT_EQ(to_triage(out4), 0) << out4;
  EXPECT_NE(out4.find("0 new, 1 still crashing, 1 fixed"), std::string::npos) << out4;
}

// "Possibly the same bug as" must be right where it is shown: on one artifact of every planted bug per
// harness, no hint pairs buckets of two different bugs (before: four hints, all wrong).
TEST(BulkHints, NoHintPairsTwoPlantedBugs) {
  const fs::path dir = fs::temp_directory_path() / ("triage-hints-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  std::map<std::string, std::string> bug_of;  // artifact path -> planted bug
  std::set<std::pair<std::string, std::string>> taken;
  for (const auto& row : load_ground_truth(k_artifacts)) {
    if (!taken.insert({row.target, row.bug}).second) {
      continue;
    }
    fs::create_directories(dir / "in" / row.target);
    const auto to = dir / "in" / row.artifact;
    fs::copy_file(k_artifacts + "/" + row.artifact, to);
    bug_of[to.string()] = row.bug;
  }
  ASSERT_GE(taken.size(), 18u);
  auto run = debugger::run_native({k_bin_dir + "/triage", "bulk", "--bin-dir", k_bin_dir, "-o", (dir / "out").string(),
                                   "-j", "2", "-f", "json", (dir / "in").string()},
                                  {"PATH=/usr/bin:/bin"}, (dir / "log").string(), 600);
  ASSERT_TRUE(run.has_value());
  const auto j = json_of(run->output);
  ASSERT_FALSE(j.is_discarded()) << run->output;
  std::map<std::string, std::set<std::string>> bugs_of_bucket;
  for (const auto& b : j["buckets"]) {
    for (const auto& a : b["artifacts"]) {
      bugs_of_bucket[b["id"]].insert(bug_of[a.get<std::string>()]);
    }
  }
  size_t hints = 0;
  for (const auto& b : j["buckets"]) {
    EXPECT_EQ(bugs_of_bucket[b["id"]].size(), 1u) << "bucket " << b["id"] << " merges bugs";
    for (const auto& sim : b["similar"]) {
      ++hints;
      EXPECT_EQ(bugs_of_bucket[b["id"]], bugs_of_bucket[sim["bucket"]])
          << b["id"] << " is hinted to be " << sim["bucket"] << " (" << sim["reason"] << ")";
    }
  }
  RecordProperty("hints", static_cast<int>(hints));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace triage::testing
