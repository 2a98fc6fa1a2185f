#include "triage/campaign/campaign_run.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "triage/core/bucket.hpp"
#include "triage/core/elf_build_id.hpp"
#include "triage/core/signature.hpp"

namespace triage::campaign {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_env_mark = " env:";

/// The record of an artifact whose content was triaged under another path.
core::TriageRecord record_for_copy(core::TriageRecord record, const ArtifactTask& copy) {
  record.artifact = copy.path;
  record.target = copy.target;
  return record;
}

}  // namespace

std::optional<std::string> file_sha1(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) {
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) {
    return std::nullopt;
  }
  return core::sha1_hex(bytes);
}

// Reading the build ID from the notes: hashing all of a 20 MB fuzz binary took ~20 ms per target.
std::string binary_build(const std::string& path) {
  if (auto id = core::elf_build_id(path)) {
    return "build-id:" + *id;
  }
  return file_sha1(path).value_or("unreadable");
}

// What a result depends on besides the input: the binary's build and the variables added to its
// environment (a planted bug switched off with --env is another build as far as results go).
std::string run_build(const std::string& binary, std::vector<std::string> env) {
  std::string build = binary_build(binary);
  std::sort(env.begin(), env.end());
  for (const auto& e : env) {
    build += std::string(k_env_mark) + e;
  }
  return build;
}

std::vector<std::string> env_of_build(const std::string& build) {
  std::vector<std::string> env;
  for (size_t at = build.find(k_env_mark); at != std::string::npos;) {
    const size_t start = at + k_env_mark.size();
    const size_t next = build.find(k_env_mark, start);
    env.push_back(build.substr(start, next == std::string::npos ? std::string::npos : next - start));
    at = next;
  }
  return env;
}

core::Result<std::set<std::string>> bucket_ids(store::CampaignStore& store, const std::vector<std::string>& key_state) {
  const auto records = TRIAGE_TRY(store.records());
  std::set<std::string> ids;
  for (const auto& b : core::make_buckets(records, {key_state})) {
    ids.insert(b.id);
  }
  return ids;
}

core::Result<std::optional<std::vector<core::BucketComparison>>> compare_latest_builds(
    store::CampaignStore& store, const std::vector<std::string>& key_state) {
  const auto two = TRIAGE_TRY(store.latest_two_builds());
  if (two.baseline.empty()) {
    return std::optional<std::vector<core::BucketComparison>>{};
  }
  return std::optional(core::compare_builds(two.baseline, two.current, {key_state}));
}

core::Result<void> attach_reproducers(store::CampaignStore& store, std::vector<core::Bucket>& buckets) {
  for (auto& b : buckets) {
    if (const auto found = TRIAGE_TRY(store.reproducer_of(b.representative_sha1, b.representative))) {
      b.binary = found->binary;
      b.lldb_command_file = found->lldb_command_file;
    }
  }
  return {};
}

core::Result<RunOutcome> run(store::CampaignStore& store, const RunRequest& request, const RunSink& sink,
                             std::atomic<bool>* stop) {
  RunOutcome out;
  out.plan.tasks = request.tasks.size();
  // Incremental: what this binary build already triaged at this path is skipped. Every path is
  // recorded (the store keys results by content, build and path), but one content runs once per
  // build: a copy (libFuzzer's minimized-from-X beside crash-X, a second directory) takes the result
  // of its first path, from the store or from this run.
  std::map<std::string, int64_t> binary_ids;
  std::vector<ArtifactTask> todo;
  std::map<std::pair<std::string, int64_t>, size_t> first_with_content;  // (sha1, build) -> todo index
  std::map<size_t, std::vector<ArtifactTask>> copies;                     // todo index -> same content
  for (const auto& t : request.tasks) {
    if (!binary_ids.contains(t.binary)) {
      binary_ids[t.binary] =
          TRIAGE_TRY(store.binary_id(fs::absolute(t.binary).string(), run_build(t.binary, request.worker.extra_env)));
    }
    const int64_t build = binary_ids[t.binary];
    const auto sha1 = file_sha1(t.path);
    if (!sha1) {
      if (std::error_code ec; request.skip_vanished && !fs::exists(t.path, ec)) {
        ++out.plan.vanished;
        continue;
      }
      todo.push_back(t);  // the worker records why it cannot be read
      continue;
    }
    if (!request.rerun) {
      if (TRIAGE_TRY(store.has_result(*sha1, build, t.path))) {
        ++out.plan.stored;
        continue;
      }
      if (const auto same = TRIAGE_TRY(store.result_for_content(*sha1, build))) {
        TRIAGE_TRY(store.put_result(build, record_for_copy(same->record, t), same->report_json));
        ++out.plan.copied;
        continue;
      }
    }
    const auto key = std::pair{*sha1, build};
    if (const auto it = first_with_content.find(key); it != first_with_content.end()) {
      copies[it->second].push_back(t);
      ++out.plan.pending_copies;
      continue;
    }
    first_with_content[key] = todo.size();
    todo.push_back(t);
  }
  out.plan.to_triage = todo.size();
  out.plan.named_timeouts = static_cast<size_t>(std::count_if(todo.begin(), todo.end(), [](const ArtifactTask& t) {
    return is_timeout_artifact_name(fs::path(t.path).filename().string());
  }));
  if (sink.on_plan) {
    sink.on_plan(out.plan);
  }
  out.stats = run_pool(
      todo, request.worker, request.pool,
      [&](const TaskResult& r) {
        const int64_t build = binary_ids[r.task->binary];
        if (std::error_code ec;
            request.skip_vanished && r.record.result == core::ResultKind::error && !fs::exists(r.task->path, ec)) {
          ++out.vanished;  // deleted or renamed between the scan and its run
          return;
        }
        auto put = store.put_result(build, r.record, r.report_text);
        if (const auto it = copies.find(static_cast<size_t>(r.task - todo.data())); put && it != copies.end()) {
          for (const auto& t : it->second) {
            put = store.put_result(build, record_for_copy(r.record, t), r.report_text);
            if (!put) {
              break;
            }
          }
        }
        if (!put && !out.store_error) {
          // A full disk, a store gone read-only: stop now rather than compute results that cannot be
          // kept. What was committed stays, and the next run resumes from it.
          out.store_error = put.error();
          *stop = true;
        } else if (put && sink.on_record) {
          sink.on_record(r.record);
        }
      },
      [&](const PoolStats& s) {
        if (sink.on_progress) {
          sink.on_progress(s);
        }
      },
      stop);
  out.stopped = *stop && !out.store_error;
  return out;
}

}  // namespace triage::campaign
