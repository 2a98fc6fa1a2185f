// End to end under liblldb: every planted bug's artifacts through `triage --format json`, C++ and Rust.
// Asserts the crash kind, the blamed function, the message, decoded device registers, one signature
// per bug and distinct signatures across bugs; golden text output for one artifact per kind.
#include <gtest/gtest.h>

#include <cstdlib>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "ground_truth.hpp"
#include "triage/debugger/native_run.hpp"

namespace triage::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string k_bin_dir = TRIAGE_TEST_BIN_DIR;
const std::string k_artifacts = TRIAGE_TEST_ARTIFACTS_DIR;
const std::string k_golden_dir = TRIAGE_TEST_GOLDEN_DIR;
const std::string k_source_dir = TRIAGE_TEST_SOURCE_DIR;

struct TriageRun {
  int exit_status = -1;
  std::string output;
};

TriageRun run_triage(std::vector<std::string> args, std::vector<std::string> env = {}) {
  std::vector<std::string> argv{k_bin_dir + "/triage"};
  argv.insert(argv.end(), args.begin(), args.end());
  const auto out = fs::temp_directory_path() / ("oneshot-" + std::to_string(::getpid()) + ".out");
  env.emplace_back("PATH=/usr/bin:/bin");
  auto run = debugger::run_native(argv, env, out.string(), 180);
  fs::remove(out);
  if (!run) {
    return {};
  }
  return {run->exit_status.value_or(-1), run->output};
}

json triage_json(const GroundTruthRow& row) {
  const TriageRun r = run_triage({"-f", "json", "-t", "5", k_bin_dir + "/" + row.target, k_artifacts + "/" + row.artifact});
  const auto j = json::parse(r.output, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << r.output;
  EXPECT_EQ(r.exit_status, 0) << r.output;
  return j.is_discarded() ? json() : j;
}

std::map<std::string, std::vector<GroundTruthRow>> rows_by_bug() {
  std::map<std::string, std::vector<GroundTruthRow>> out;
  for (const auto& row : load_ground_truth(k_artifacts)) {
    out[row.bug].push_back(row);
  }
  return out;
}

std::vector<std::string> bug_ids() {
  std::vector<std::string> ids;
  for (const auto& [id, rows] : rows_by_bug()) {
    ids.push_back(id);
  }
  return ids;
}

/// The schema devices a target's crash should show.
std::set<std::string> devices_of(const std::string& target) {
  if (target == "fuzz_ide" || target == "fuzz_ide_rs") {
    return {"ide"};
  }
  if (target == "fuzz_chipset") {
    return {"rtc", "uart", "battery"};
  }
  return {target.substr(5)};
}

/// Device state each bug needs to happen, checked on the decoded registers of the live process: the
/// dump must show why the crash happened, not just that something was dumped.
struct StateFact {
  const char* bug;
  const char* reg;
  const char* field;
  std::set<uint64_t> values;  ///< some register of that name has the field at one of these values
};
const StateFact k_state_facts[] = {
    {"RTC-02", "register_b", "PIE", {1}},              // the periodic interrupt is enabled ...
    {"RTC-02", "register_a", "DV", {3, 4, 5, 6, 7}},   // ... with the divider chain in a reset/test mode
    {"RTC-03", "register_b", "DM", {0}},               // BCD mode: the clock bytes are decoded as BCD
    {"UART-01", "mcr", "LOOP", {1}},                   // loopback mode
    {"IDE-02", "status", "DRQ", {1}},                  // a PIO data-out transfer is in progress
    {"BAT-03", "status", "DISCHARGING", {1}},          // time remaining is only computed when discharging
};

bool has_field_value(const json& report, const StateFact& fact) {
  for (const auto& d : report["devices"]) {
    for (const auto& reg : d["registers"]) {
      if (reg["register"] != fact.reg) {
        continue;
      }
      for (const auto& f : reg["fields"]) {
        if (f["name"] == fact.field && fact.values.contains(f["value"].get<uint64_t>())) {
          return true;
        }
      }
    }
  }
  return false;
}

class PlantedBug : public ::testing::TestWithParam<std::string> {};

TEST_P(PlantedBug, EveryArtifactIsTriagedToItsBugWithOneSignature) {
  const auto rows = rows_by_bug().at(GetParam());
  ASSERT_FALSE(rows.empty());
  std::set<std::string> signatures;
  for (const auto& row : rows) {
    SCOPED_TRACE(row.artifact);
    const json j = triage_json(row);
    ASSERT_TRUE(j.is_object());
    ASSERT_EQ(j["result"], "crash");
    EXPECT_EQ(j["kind"], row.kind);
    ASSERT_TRUE(j["blamed_frame"].is_object());
    EXPECT_EQ(j["blamed_frame"]["function"], row.function);
    EXPECT_FALSE(j["message"].get<std::string>().empty());
    EXPECT_EQ(j["artifact"]["size"], row.bytes);
    const std::string sig = j["signature"]["id"];
    EXPECT_TRUE(sig.starts_with("v1-")) << sig;
    signatures.insert(sig);
    if (row.kind != "leak") {  // leaks are found by a native run: no live state to walk
      bool decoded = false;
      for (const auto& d : j["devices"]) {
        EXPECT_TRUE(devices_of(row.target).contains(d["name"].get<std::string>())) << d["name"];
        for (const auto& reg : d["registers"]) {
          decoded = decoded || !reg["fields"].empty();
          EXPECT_FALSE(reg["lldb_path"].get<std::string>().empty());
        }
      }
      EXPECT_TRUE(decoded) << "no decoded register for " << row.artifact;
    }
    for (const auto& fact : k_state_facts) {
      if (fact.bug == row.bug) {
        EXPECT_TRUE(has_field_value(j, fact)) << row.artifact << ": no " << fact.reg << "." << fact.field
                                              << " with the value this bug needs";
      }
    }
    if (row.kind == "rust-panic" || row.kind == "assert") {
      EXPECT_FALSE(j["signature"]["location"].get<std::string>().empty());
    }
  }
  EXPECT_EQ(signatures.size(), 1u) << GetParam() << " splits into " << signatures.size() << " signatures";
}

INSTANTIATE_TEST_SUITE_P(Bugs, PlantedBug, ::testing::ValuesIn(bug_ids()), [](const auto& info) {
  std::string n = info.param;
  for (auto& c : n) {
    c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  }
  return n;
});

/// The device walk reads memory through cached type layouts (debugger/memory_value_view.cpp); with
/// TRIAGE_SBVALUE_WALK=1 it asks LLDB for every value as before. Both must dump the same state, to
/// the last field, for every planted bug (C++ and Rust, pointers, optionals, variants, vectors,
/// bitfields, register-held `this`).
class WalkParity : public ::testing::TestWithParam<std::string> {};

/// Drops the values of dumped nodes reached through a pointer (`*p`), keeping their names and types.
void mask_pointee_values(json& node) {
  if (node.is_object()) {
    if (node.contains("lldb_path") && node["lldb_path"].is_string() &&
        node["lldb_path"].get<std::string>().starts_with("*")) {
      node.erase("raw");
      node.erase("value");
    }
    for (auto& [_key, child] : node.items()) {
      mask_pointee_values(child);
    }
  } else if (node.is_array()) {
    for (auto& child : node) {
      mask_pointee_values(child);
    }
  }
}

TEST_P(WalkParity, FastWalkDumpsWhatLldbValuesDump) {
  const GroundTruthRow row = rows_by_bug().at(GetParam()).front();
  const std::vector<std::string> args{"--no-server", "-f", "json", "-t", "5", k_bin_dir + "/" + row.target,
                                      k_artifacts + "/" + row.artifact};
  auto fast = json::parse(run_triage(args).output, nullptr, false);
  auto slow = json::parse(run_triage(args, {"TRIAGE_SBVALUE_WALK=1"}).output, nullptr, false);
  ASSERT_FALSE(fast.is_discarded());
  ASSERT_FALSE(slow.is_discarded());
  if (row.kind != "leak") {  // a leak is found by a native run: no live state to dump
    ASSERT_FALSE(fast["devices"].empty()) << row.artifact;
  }
  if (row.kind == "timeout") {
    // Where the watchdog stops the loop differs between runs, and so may a counter in the state.
    EXPECT_EQ(fast["devices"].size(), slow["devices"].size());
    return;
  }
  if (row.kind == "use-after-free") {
    // A dangling pointer's target is freed memory, which the allocator may reuse differently from one
    // run to the next: everything else must match, those bytes cannot.
    mask_pointee_values(fast);
    mask_pointee_values(slow);
  }
  EXPECT_EQ(fast["devices"].dump(1), slow["devices"].dump(1)) << row.artifact;
}

INSTANTIATE_TEST_SUITE_P(Bugs, WalkParity, ::testing::ValuesIn(bug_ids()), [](const auto& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
});

TEST(Signatures, DistinctBugsNeverShareASignature) {
  std::map<std::string, std::string> owner;  // signature -> bug
  for (const auto& [bug, rows] : rows_by_bug()) {
    const json j = triage_json(rows.front());
    ASSERT_TRUE(j.is_object());
    const std::string sig = j["signature"]["id"];
    const auto [it, fresh] = owner.emplace(sig, bug);
    EXPECT_TRUE(fresh) << bug << " and " << it->second << " share signature " << sig;
  }
}

/// Paths, addresses and pids differ between machines and runs; the rest of the text must not.
std::string normalize(std::string text) {
  const auto replace_all = [&](const std::string& from, const std::string& to) {
    for (size_t p = text.find(from); p != std::string::npos; p = text.find(from, p + to.size())) {
      text.replace(p, from.size(), to);
    }
  };
  replace_all(k_source_dir, "<src>");
  replace_all(k_bin_dir, "<bin>");
  text = std::regex_replace(text, std::regex("0x[0-9a-f]{5,16}"), "0x<addr>");
  text = std::regex_replace(text, std::regex("==[0-9]+=="), "==<pid>==");
  text = std::regex_replace(text, std::regex("\\(([0-9]+)\\) panicked"), "(<pid>) panicked");
  text = std::regex_replace(text, std::regex("\\[owner_tid=[0-9]+\\]"), "[owner_tid=<tid>]");
  // The stderr tail carries libFuzzer's seed and timing lines; it is checked through the JSON tests.
  if (const auto pos = text.find("\nstderr (tail):"); pos != std::string::npos) {
    text.erase(pos + 1);
  }
  return text;
}

/// A timeout is captured wherever the watchdog finds the loop: in the blamed function's loop condition,
/// in a coverage callback it calls, or in sched_yield. The blamed function, the frames below it, the
/// device state and the signature are stable; the line within the loop and the frames above are not.
std::string normalize_spin_position(const std::string& text) {
  std::istringstream in(text);
  std::ostringstream out;
  std::string line;
  bool in_snippet = false;
  bool in_backtrace = false;
  bool above_blamed = false;
  while (std::getline(in, line)) {
    if (line.starts_with("blamed:")) {
      out << std::regex_replace(line, std::regex(":[0-9]+:[0-9]+$"), ":<line>") << "\n";
      in_snippet = true;
      continue;
    }
    if (in_snippet && std::regex_match(line, std::regex(R"(\s+>?\s+[0-9]+ \|.*)"))) {
      continue;
    }
    in_snippet = false;
    if (line == "backtrace:") {
      in_backtrace = true;
      above_blamed = true;
      out << line << "\n";
      continue;
    }
    if (in_backtrace && line.empty()) {
      in_backtrace = false;
    }
    if (in_backtrace) {
      if (line.find("=>") != std::string::npos) {
        above_blamed = false;
        line = std::regex_replace(line, std::regex(":[0-9]+:[0-9]+$"), ":<line>");
      }
      if (above_blamed) {
        continue;
      }
      line = std::regex_replace(line, std::regex("#[0-9]+ +"), "#<n> ");
    }
    line = std::regex_replace(line, std::regex("found as frame #[0-9]+"), "found as frame #<n>");
    out << line << "\n";
  }
  return out.str();
}

class GoldenText : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenText, MatchesTheGoldenFile) {
  // The smallest artifact of the first bug of this kind.
  const GroundTruthRow* pick = nullptr;
  const auto rows = load_ground_truth(k_artifacts);
  for (const auto& row : rows) {
    if (row.kind == GetParam() && (pick == nullptr || (row.bug == pick->bug && row.bytes < pick->bytes) ||
                                   row.bug < pick->bug)) {
      pick = &row;
    }
  }
  ASSERT_NE(pick, nullptr) << "no artifact of kind " << GetParam();
  const TriageRun r = run_triage({"-t", "5", k_bin_dir + "/" + pick->target, k_artifacts + "/" + pick->artifact});
  const std::string actual =
      GetParam() == "timeout" ? normalize_spin_position(normalize(r.output)) : normalize(r.output);
  const fs::path golden = fs::path(k_golden_dir) / (GetParam() + ".txt");
  if (std::getenv("TRIAGE_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden) << actual;
    GTEST_SKIP() << "updated " << golden;
  }
  std::ifstream in(golden);
  ASSERT_TRUE(in) << "missing golden file " << golden << " (run with TRIAGE_UPDATE_GOLDEN=1)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str());
}

INSTANTIATE_TEST_SUITE_P(Kinds, GoldenText,
                         ::testing::Values("heap-buffer-overflow-read", "heap-buffer-overflow-write", "use-after-free",
                                           "null-deref", "stack-overflow", "fpe", "abort", "assert", "cxx-exception",
                                           "rust-panic", "timeout", "oom", "leak"),
                         [](const auto& info) {
                           std::string n = info.param;
                           for (auto& c : n) {
                             c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace triage::testing
