#pragma once
// Finding a campaign's artifacts: walk directories, take the files libFuzzer names as artifacts
// (`crash-<sha1>`, an -artifact_prefix before it, ...) and leave corpora, dictionaries and notes, and
// map each artifact to its fuzz binary by the name of its target directory (`artifacts/<target>/…`),
// through --bin-dir or --map, or for cargo-fuzz's `<crate>/fuzz/artifacts/<target>/…` in the cargo
// target directories (`<crate>/fuzz/target/<triple>/release/<target>`, a workspace's `target/…`).
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "triage/core/error.hpp"

namespace triage::campaign {

struct BinaryMap {
  std::string bin_dir;                         ///< <bin_dir>/<target> is the binary of <target>
  std::map<std::string, std::string> explicit_targets;  ///< target -> binary, from --map FILE
  std::string cargo_profile = "release";       ///< cargo-fuzz binaries: target/<triple>/<profile>/<target>
};

/// Which files of a walked directory are artifacts. Files named as roots are always taken.
struct NameFilter {
  std::vector<std::string> include;  ///< globs on the file name: taken even when not named like an artifact
  std::vector<std::string> exclude;  ///< globs on the file name: never taken
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
  size_t skipped = 0;                          ///< files in the walked directories that are not artifacts
  std::map<std::string, std::string> found;    ///< artifact directory -> binary found in a cargo-fuzz layout
};

/// A file libFuzzer writes as an artifact: crash-, leak-, timeout-, oom-, slow-unit- followed by a hex
/// hash, after any -artifact_prefix (`ide-crash-<sha1>`), or minimized-from-<hash>.
bool is_libfuzzer_artifact_name(std::string_view file_name);
/// libFuzzer's name for an input that ran out the clock (`timeout-<sha1>`, after any -artifact_prefix dir).
bool is_timeout_artifact_name(std::string_view file_name);

/// Whether a file met in a walked directory is an artifact, by its name and the filter.
bool is_artifact_candidate(const std::string& file_name, const NameFilter& filter = {});

/// cargo-fuzz: the binary of `target` for an artifact under `<crate>/fuzz/artifacts/<target>/`, in
/// `<crate>/fuzz/target/<triple>/<profile>/` or a `target/<triple>/<profile>/` of a directory above.
std::string find_cargo_fuzz_binary(const std::string& artifact, const std::string& target, const std::string& profile);

Discovery discover(const std::vector<std::string>& roots, const BinaryMap& binaries, const NameFilter& filter = {});

/// `--shard K/N`: the K-th (1-based) of N slices.
struct ShardSpec {
  unsigned k = 1;
  unsigned n = 1;
};
/// More shards than this is a typo, not a cluster.
inline constexpr unsigned k_max_shards = 100000;
/// "K/N" with decimal K and N, 1 <= K <= N <= k_max_shards; anything else is a usage error.
core::Result<ShardSpec> parse_shard(std::string_view text);

/// Keeps the K-th of N deterministic slices (1-based K), by a hash of the artifact path.
std::vector<ArtifactTask> shard(const std::vector<ArtifactTask>& tasks, unsigned k, unsigned n);

}  // namespace triage::campaign
