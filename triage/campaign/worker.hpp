#pragma once
// A bulk worker process: reads tasks (one JSON object per line) from `in_fd`, triages each under its
// binary's reused Session, writes two lines per task to `out_fd`: a JSON header ({"id", "record"})
// and the report as compact JSON text. Runs in a forked child so a liblldb crash costs one artifact,
// not the campaign.
#include <cstdint>
#include <string>
#include <vector>

#include "triage/core/frame_filter.hpp"
#include "triage/core/register_schema.hpp"
#include "triage/core/wrapper_rules.hpp"
#include "triage/emit/lldb_script.hpp"

namespace triage::campaign {

struct WorkerConfig {
  const core::SchemaSet* schemas = nullptr;
  const core::WrapperRules* wrappers = nullptr;
  const core::IgnoreList* ignore = nullptr;
  std::string lldb_server;
  uint32_t timeout_seconds = 10;
  std::vector<std::string> extra_env;    ///< NAME=VALUE added to every target's environment (--env)
  uint32_t recreate_target_every = 100;  ///< keeps time and RSS per artifact flat (feasibility notes §5)
  uint64_t max_artifact_bytes = 64ull * 1024 * 1024;
  /// The lldb command file each crash's report carries (the bucket reports show the representative's).
  emit::LldbScriptOptions script;
};

/// The worker's main loop; returns the process exit code.
int run_worker(int in_fd, int out_fd, const WorkerConfig& config);

}  // namespace triage::campaign
