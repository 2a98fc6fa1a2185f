#pragma once
// The bulk worker pool: forked worker processes (liblldb is never initialised in the parent), each
// keeping one debugger per binary. A worker that dies or hangs is killed with everything it started;
// its artifact gets one retry in a fresh worker, then an error record. The campaign never stops for
// one artifact. With `no_repro_retries`, an artifact that does not crash is run again: a crash on a
// retry is recorded as flaky, no crash in any run stays no-repro (with its run count).
#include <atomic>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "triage/campaign/discovery.hpp"
#include "triage/campaign/worker.hpp"
#include "triage/core/bucket.hpp"

namespace triage::campaign {

struct PoolOptions {
  unsigned jobs = 2;
  unsigned retries = 1;                ///< extra attempts after a worker died on an artifact
  unsigned no_repro_retries = 0;       ///< extra runs of an artifact that did not crash (--retries)
  uint32_t slack_seconds = 30;         ///< beyond the run timeout before a worker counts as hung
  /// A worker is replaced by a fresh one after this many artifacts: liblldb keeps ~300 KB per run of
  /// a large device walk even across target recreation (2,000 runs: 195 -> 796 MB, 138 -> 201 ms per
  /// artifact), and a new process costs ~0.3 s. 0: never.
  unsigned restart_worker_every = 200;
  /// Each worker, with its lldb-server and targets, runs on one CPU (worker_cpu.hpp).
  bool pin_workers = true;
};

struct TaskResult {
  const ArtifactTask* task = nullptr;
  std::string report_text;  ///< the report as compact JSON text, as the store keeps it
  core::TriageRecord record;
};

struct PoolStats {
  size_t done = 0;
  size_t total = 0;
  size_t worker_deaths = 0;
  size_t worker_restarts = 0;  ///< planned replacements (PoolOptions::restart_worker_every)
};

/// Default worker count: the core count, capped by free memory at ~400 MB per worker.
unsigned default_jobs();

/// Runs every task; calls `on_result` for each (in completion order) and `on_progress` after each.
/// Returns early (workers killed) when `*stop` becomes true.
PoolStats run_pool(const std::vector<ArtifactTask>& tasks, const WorkerConfig& config, const PoolOptions& options,
                   const std::function<void(const TaskResult&)>& on_result,
                   const std::function<void(const PoolStats&)>& on_progress, const std::atomic<bool>* stop);

}  // namespace triage::campaign
