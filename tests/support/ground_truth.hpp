#pragma once
// The ground truth of the shipped artifacts: every artifact of artifacts/ground_truth.toml with its
// target and planted bug, and that bug's crash kind and blamed function from
// fuzz_targets/planted_bugs.toml (artifacts/README.md is rendered from the two).
#include <cstdint>
#include <string>
#include <vector>

namespace triage::testing {

struct GroundTruthRow {
  std::string artifact;  ///< path relative to artifacts/, e.g. "fuzz_ide/crash-1a2b..."
  std::string target;    ///< fuzz binary name, e.g. "fuzz_ide"
  std::string bug;       ///< planted bug id, e.g. "IDE-01"
  std::string kind;
  std::string function;
  uint64_t bytes = 0;
};

/// Every artifact of `<artifacts_dir>/ground_truth.toml`, the bugs read from
/// `<artifacts_dir>/../fuzz_targets/planted_bugs.toml`; a malformed file or an unknown bug id throws
/// (the test stops at once), a missing ground-truth file is no rows.
std::vector<GroundTruthRow> load_ground_truth(const std::string& artifacts_dir);

/// The replay binary for a fuzz target ("fuzz_ide" -> "replay_ide").
std::string replay_binary_for(const std::string& target);

/// A gtest-safe name for an artifact row.
std::string test_name(const GroundTruthRow& row);

}  // namespace triage::testing
