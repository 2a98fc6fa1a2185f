#pragma once
// One campaign run as a library call: which artifacts the store already has for this build (by path,
// then by content), the pool over the rest, and every result stored as it arrives (copies of one
// content under other paths included). bulk, and what follows a campaign over time, call this; the
// front end only shows what the sink reports.
#include <atomic>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "triage/campaign/discovery.hpp"
#include "triage/campaign/worker_pool.hpp"
#include "triage/core/build_compare.hpp"
#include "triage/core/error.hpp"
#include "triage/store/campaign_store.hpp"

namespace triage::campaign {

struct RunRequest {
  std::vector<ArtifactTask> tasks;
  WorkerConfig worker;
  PoolOptions pool;
  bool rerun = false;  ///< triage again what the store already has for this build
  /// --watch: an artifact gone before its run (the fuzzer deleted or renamed it) is simply gone, not an
  /// error record.
  bool skip_vanished = false;
};

/// What the run will do, before it starts.
struct RunPlan {
  size_t tasks = 0;           ///< artifacts asked for
  size_t to_triage = 0;       ///< distinct contents that run
  size_t pending_copies = 0;  ///< other paths of those contents, recorded from their result
  size_t stored = 0;          ///< already in the store at this path for this build
  size_t copied = 0;          ///< recorded at once from a stored result of the same content
  size_t named_timeouts = 0;  ///< of to_triage, files libFuzzer named timeout-* (they likely run out the clock)
  size_t vanished = 0;        ///< with skip_vanished: gone before the run started
};

struct RunSink {
  std::function<void(const RunPlan&)> on_plan;
  std::function<void(const PoolStats&)> on_progress;
  /// Each result of the run once stored (before on_progress), in completion order.
  std::function<void(const core::TriageRecord&)> on_record;
};

struct RunOutcome {
  RunPlan plan;
  PoolStats stats;
  bool stopped = false;                    ///< `*stop` ended it early
  size_t vanished = 0;                     ///< with skip_vanished: results dropped, the file gone during the run
  std::optional<core::Error> store_error;  ///< the first result that could not be stored (the run stopped)
};

/// Runs the campaign into `store`. An error is one the run could not start past (the store unreadable);
/// a result that cannot be stored stops the run and is reported in the outcome, with what was kept.
core::Result<RunOutcome> run(store::CampaignStore& store, const RunRequest& request, const RunSink& sink,
                             std::atomic<bool>* stop);

/// The ids of the buckets the store's records make (for telling new buckets).
core::Result<std::set<std::string>> bucket_ids(store::CampaignStore& store, const std::vector<std::string>& key_state);

/// The store's buckets on each artifact's latest build against its build before: none when no
/// artifact was run by two builds (binaries or --env).
core::Result<std::optional<std::vector<core::BucketComparison>>> compare_latest_builds(
    store::CampaignStore& store, const std::vector<std::string>& key_state);

/// Fills each bucket's reproducer from the store: its representative's binary and the lldb command
/// file the worker wrote for it.
core::Result<void> attach_reproducers(store::CampaignStore& store, std::vector<core::Bucket>& buckets);

/// A build as the store names it: binary_build(), then " env:NAME=VALUE" for each --env variable (a
/// result depends on both). env_of_build() reads the variables back.
std::string run_build(const std::string& binary, std::vector<std::string> env);
std::vector<std::string> env_of_build(const std::string& build);

/// Names a binary build: its GNU build ID, else the SHA-1 of its contents.
std::string binary_build(const std::string& path);

/// The SHA-1 of a regular file's contents; none when it cannot be read.
std::optional<std::string> file_sha1(const std::string& path);

}  // namespace triage::campaign
