#pragma once
// Replaying artifacts natively (no debugger) the way `triage replay` does: the sanitizers symbolize
// their own reports, and the run becomes a snapshot classify() and the signature read like a captured
// one. One replayer per binary keeps one scratch directory for every run (the minimizer runs thousands).
#include <optional>
#include <string>
#include <vector>

#include "triage/core/error.hpp"
#include "triage/core/snapshot.hpp"

namespace triage::debugger {

struct NativeReplayOptions {
  std::vector<std::string> fuzzer_args;  ///< before the artifact (e.g. -timeout=3)
  std::vector<std::string> env;          ///< NAME=VALUE added to the environment
  uint32_t timeout_seconds = 10;
};

class NativeReplayer {
 public:
  static core::Result<NativeReplayer> open(const std::string& binary, NativeReplayOptions options);
  NativeReplayer(NativeReplayer&& other) noexcept;
  NativeReplayer& operator=(NativeReplayer&&) = delete;
  NativeReplayer(const NativeReplayer&) = delete;
  NativeReplayer& operator=(const NativeReplayer&) = delete;
  ~NativeReplayer();

  /// Runs the binary on the artifact at `path`; the snapshot has binary, elapsed time and output.
  core::Result<core::CrashSnapshot> run(const std::string& path);
  /// Runs it on `bytes`, written to a file of the scratch directory first.
  core::Result<core::CrashSnapshot> run_bytes(const std::string& bytes);
  /// One step of libFuzzer's own crash minimizer on `bytes` (`-minimize_crash_internal_step=1
  /// -runs=N -seed=S`: it mutates the input under a max_len one byte shorter, in process): the crashing
  /// input it found, or nullopt when it found none within the runs or `seconds` (a binary that is not a
  /// libFuzzer one finds none). Its crash may be another bug: the caller checks the bucket.
  core::Result<std::optional<std::string>> libfuzzer_minimize_step(const std::string& bytes, uint32_t runs,
                                                                    uint32_t seed, uint32_t seconds);

 private:
  NativeReplayer() = default;
  std::string m_binary;
  NativeReplayOptions m_options;
  std::vector<std::string> m_env;
  std::string m_dir;  ///< scratch directory; empty once moved from
};

}  // namespace triage::debugger
