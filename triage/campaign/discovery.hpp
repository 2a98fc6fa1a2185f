#pragma once
// Finding a campaign's artifacts: walk directories, recognise libFuzzer's artifact names (and plain
// files), and map each artifact to its fuzz binary by the name of its target directory
// (`artifacts/<target>/…`, or cargo-fuzz's `<crate>/fuzz/artifacts/<target>/…`).
#include <map>
#include <string>
#include <vector>

#include "triage/core/error.hpp"

namespace triage::campaign {

struct BinaryMap {
  std::string bin_dir;                         ///< <bin_dir>/<target> is the binary of <target>
  std::map<std::string, std::string> explicit_targets;  ///< target -> binary, from --map FILE
};

/// Reads a mapping file: TOML `[targets]` table of `target = "path/to/binary"`.
core::Result<BinaryMap> load_binary_map(const std::string& path, BinaryMap base);

struct ArtifactTask {
  std::string path;
  std::string target;
  std::string binary;
};

struct Unmapped {
  std::string path;
  std::string reason;
};

struct Discovery {
  std::vector<ArtifactTask> tasks;  ///< sorted by path
  std::vector<Unmapped> unmapped;
};

/// libFuzzer's artifact prefixes: crash-, leak-, timeout-, oom-, slow-unit-, minimized-from-.
bool has_libfuzzer_prefix(const std::string& file_name);
/// Files that are not artifacts: hidden files and notes (README.md, *.txt, *.json, ...).
bool is_artifact_candidate(const std::string& file_name);

Discovery discover(const std::vector<std::string>& roots, const BinaryMap& binaries);

/// Keeps the K-th of N deterministic slices (1-based K), by a hash of the artifact path.
std::vector<ArtifactTask> shard(const std::vector<ArtifactTask>& tasks, unsigned k, unsigned n);

}  // namespace triage::campaign
