#pragma once
// Reads the ground-truth table of artifacts/README.md: every artifact with its target, planted bug,
// expected crash kind and blamed function.
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

/// Rows of the "Ground truth" table; empty when the file or the table is missing.
std::vector<GroundTruthRow> load_ground_truth(const std::string& readme_path);

/// The replay binary for a fuzz target ("fuzz_ide" -> "replay_ide").
std::string replay_binary_for(const std::string& target);

/// A gtest-safe name for an artifact row.
std::string test_name(const GroundTruthRow& row);

}  // namespace triage::testing
