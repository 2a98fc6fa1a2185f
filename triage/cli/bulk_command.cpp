#include "triage/cli/console.hpp"
#include "triage/cli/bulk_command.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>

#include "triage/campaign/campaign_run.hpp"
#include "triage/campaign/child_cleanup.hpp"
#include "triage/campaign/directory_watch.hpp"
#include "triage/campaign/discovery.hpp"
#include "triage/campaign/progress.hpp"
#include "triage/campaign/worker_pool.hpp"
#include "triage/cli/exit_codes.hpp"
#include "triage/cli/script_command.hpp"
#include "triage/core/bucket.hpp"
#include "triage/core/elf_build_id.hpp"
#include "triage/core/signature.hpp"
#include "triage/emit/comparison_emitters.hpp"
#include "triage/emit/escape.hpp"
#include "triage/store/campaign_store.hpp"
#include "triage/store/store_lock.hpp"

namespace triage::cli {
namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_stop{false};

void on_interrupt(int /*signo*/) { g_stop = true; }

/// The progress line on stderr: rewritten in place on a terminal, else one line every 5 s and at the end.
class Progress {
 public:
  explicit Progress(campaign::ProgressSetup setup)
      : m_tally(std::move(setup)), m_tty(isatty(STDERR_FILENO) != 0), m_start(Clock::now()) {}
  void add(const core::TriageRecord& record) { m_tally.add(record); }
  void update(size_t done, size_t total) {
    const auto now = Clock::now();
    const std::string line = m_tally.line(std::chrono::duration<double>(now - m_start).count());
    if (m_tty) {
      say("\r{}\033[K", line);
      if (done == total) {
        say("\n");
      }
    } else if (done == total || now - m_last >= std::chrono::seconds(5)) {
      say("triage bulk: {}\n", line);
      m_last = now;
    }
  }

 private:
  using Clock = std::chrono::steady_clock;
  campaign::ProgressTally m_tally;
  bool m_tty;
  Clock::time_point m_start;
  Clock::time_point m_last{};
};

/// Says each bucket of the store that `known` does not have yet (then knows it). True when one was new.
bool say_new_buckets(store::CampaignStore& store, const std::vector<std::string>& key_state,
                     std::set<std::string>& known) {
  auto records = store.records();
  bool any = false;
  if (records) {
    for (const auto& b : core::make_buckets(*records, {key_state})) {
      if (known.insert(b.id).second) {
        any = true;
        say("triage bulk: new bucket {} {} in {}: {} ({})\n", b.id, b.kind,
            b.blamed_function.empty() ? std::string("?") : b.blamed_function, b.message, b.representative);
      }
    }
  }
  return any;
}

/// The (size, modification time) an artifact had when it was handed to a run.
struct FileStamp {
  uintmax_t size = 0;
  fs::file_time_type modified;
  bool operator==(const FileStamp&) const = default;
};

/// bulk --watch: triages what the roots hold, then what fuzzers add, until SIGINT/SIGTERM. A file is
/// taken once its writer closed it (or it was moved in), or when it has not changed for a second (a
/// rescan every 2 s catches what inotify missed); a file rewritten is taken again. The reports are
/// rewritten after every batch; the page reloads itself.
int watch_campaign(const BulkOptions& o, store::CampaignStore& store, campaign::RunRequest request,
                   std::set<std::string> known, const campaign::BinaryMap& binaries,
                   const campaign::NameFilter& filter) {
  auto watch = campaign::DirectoryWatch::open(o.roots);
  if (!watch) {
    return report_error(watch.error());
  }
  say("triage bulk: watching {} directories under {}; Ctrl-C ends it with the report\n", watch->watched(),
      fmt::join(o.roots, ", "));
  std::map<std::string, FileStamp> handled;
  std::vector<std::pair<std::string, std::string>> unmapped;
  size_t triaged = 0;
  const std::set<std::string> known_at_start = known;  // the reports flag the buckets found since
  for (bool first = true; !g_stop; first = false) {
    if (!first) {
      watch->wait(std::chrono::seconds(2));
    }
    const auto completed = watch->take_completed();
    auto found = campaign::discover(o.roots, binaries, filter);
    unmapped.clear();
    for (const auto& u : found.unmapped) {
      unmapped.emplace_back(u.path, u.reason);
    }
    const auto now = fs::file_time_type::clock::now();
    std::vector<campaign::ArtifactTask> ready;
    for (auto& t : found.tasks) {
      std::error_code ec;
      const FileStamp stamp{fs::file_size(t.path, ec), fs::last_write_time(t.path, ec)};
      if (ec) {
        continue;  // gone (deleted or renamed by the fuzzer) since the scan
      }
      const std::string key = fs::path(t.path).lexically_normal().string();
      if (const auto it = handled.find(key); it != handled.end() && it->second == stamp) {
        continue;
      }
      if (!completed.contains(key) && now - stamp.modified < std::chrono::seconds(1)) {
        continue;  // perhaps still being written: the next pass looks again
      }
      handled[key] = stamp;
      ready.push_back(std::move(t));
    }
    if (ready.empty()) {
      continue;
    }
    request.tasks = std::move(ready);
    request.skip_vanished = true;
    campaign::RunSink sink;
    sink.on_plan = [&](const campaign::RunPlan& p) {
      if (p.to_triage > 0) {
        say("triage bulk: {} new artifacts ({} to triage, {} already in the store)\n", p.tasks, p.to_triage,
            p.stored + p.copied);
      }
    };
    auto outcome = campaign::run(store, request, sink, &g_stop);
    if (!outcome) {
      return report_error(outcome.error());
    }
    if (outcome->store_error) {
      say("triage bulk: stopped: a result could not be stored; the results stored before it are kept\n");
      return report_error(*outcome->store_error);
    }
    triaged += outcome->stats.done - std::min(outcome->stats.done, outcome->vanished);
    say_new_buckets(store, o.view.key_state, known);
    if (const int rc = emit_bucket_reports(store, o.out_dir, o.view, unmapped, {false, 10, nullptr, &known_at_start});
        rc != 0) {
      return rc;
    }
  }
  say("triage bulk: watch ended after {} artifacts triaged\n", triaged);
  return emit_bucket_reports(store, o.out_dir, o.view, unmapped, {true, 0, nullptr, &known_at_start});
}

}  // namespace

void add_bulk_options(CLI::App* cmd, BulkOptions& o) {
  cmd->add_option("roots", o.roots, "artifact directories (artifacts/<target>/...) or files")->required()->type_name("PATH");
  cmd->add_option("--bin-dir", o.bin_dir, "directory holding one fuzz binary per target, named like the target")
      ->type_name("DIR");
  cmd->add_option("--map", o.map_file, "TOML file with a [targets] table: target = \"path/to/binary\"")
      ->type_name("FILE");
  cmd->add_option("-o,--out-dir,--out", o.out_dir, "output directory: campaign.db, buckets.{json,md,html,sarif}")
      ->type_name("DIR");
  cmd->add_option("--include", o.include,
                  "also take files whose name matches this glob as artifacts (default: libFuzzer's names only: "
                  "crash-<hash>, leak-, timeout-, oom-, slow-unit-, minimized-from-, after any -artifact_prefix)")
      ->type_name("GLOB");
  cmd->add_option("--exclude", o.exclude, "never take files whose name matches this glob")->type_name("GLOB");
  add_bucket_view_options(*cmd, o.view);
  cmd->add_option("-j,--jobs", o.jobs, "worker processes (default: cores, capped by free memory)");
  cmd->add_flag("--no-pin", o.no_pin,
                "let the scheduler move workers between CPUs (default: each worker, with its lldb-server and "
                "targets, stays on one CPU)");
  cmd->add_option("-t,--timeout", o.timeout_seconds, "seconds before a run counts as a timeout")->check(CLI::Range(1u, 86400u));
  cmd->add_option("--env", o.env, "NAME=VALUE added to every target's environment")->type_name("NAME=VALUE");
  cmd->add_option("--retries", o.retries, "run an artifact that does not crash up to N more times (flaky if it then does)")
      ->check(CLI::Range(0u, 100u));
  cmd->add_flag("--rerun", o.rerun, "triage again what the store already has");
  cmd->add_flag("--watch", o.watch,
                "keep following the directories: triage each artifact fuzzers add, rewrite the reports, say new "
                "buckets at once; SIGINT/SIGTERM ends it with the report");
  cmd->add_option("--shard", o.shard, "K/N: triage only the K-th of N deterministic slices");
  cmd->add_option("--lldb-server", o.lldb_server, "lldb-server to use");
  add_data_options(*cmd, o.data);
}

int run_bulk(const BulkOptions& o) {
  std::optional<campaign::ShardSpec> shard;
  if (!o.shard.empty()) {
    auto parsed = campaign::parse_shard(o.shard);
    if (!parsed) {
      return report_error(parsed.error());
    }
    shard = *parsed;
  }
  auto cfg = load_tool_config(o.data);
  if (!cfg) {
    return report_error(cfg.error());
  }
  campaign::BinaryMap binaries{o.bin_dir, {}};
  if (!o.map_file.empty()) {
    auto loaded = campaign::load_binary_map(o.map_file, binaries);
    if (!loaded) {
      return report_error(loaded.error());
    }
    binaries = *loaded;
  }
  for (const auto& root : o.roots) {
    std::error_code ec;
    if (!fs::exists(root, ec)) {
      return report_error({core::ErrorCode::artifact_missing, "no such artifact file or directory: " + root});
    }
  }
  auto found = campaign::discover(o.roots, binaries, {o.include, o.exclude});
  for (const auto& [dir, binary] : found.found) {
    say("triage bulk: cargo-fuzz: {} is run by {}\n", dir, binary);
  }
  if (found.tasks.empty() && binaries.bin_dir.empty() && binaries.explicit_targets.empty() && found.found.empty() &&
      !o.watch) {
    return report_error({core::ErrorCode::usage,
                         "no fuzz binaries found: give --bin-dir or --map (cargo-fuzz layouts are found by themselves)"});
  }
  std::vector<campaign::ArtifactTask> tasks = std::move(found.tasks);
  if (shard) {
    tasks = campaign::shard(tasks, shard->k, shard->n);
  }
  std::error_code ec;
  fs::create_directories(o.out_dir, ec);
  if (ec) {
    return report_error({core::ErrorCode::io_failed, fmt::format("cannot create {}: {}", o.out_dir, ec.message())});
  }
  auto lock = store::StoreLock::acquire(o.out_dir);
  if (!lock) {
    return report_error(lock.error());
  }
  auto store = store::CampaignStore::open((fs::path(o.out_dir) / "campaign.db").string());
  if (!store) {
    return report_error(store.error());
  }
  auto known_buckets = campaign::bucket_ids(*store, o.view.key_state);
  if (!known_buckets) {
    return report_error(known_buckets.error());
  }

  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  campaign::RunRequest request;
  request.tasks = std::move(tasks);
  request.rerun = o.rerun;
  request.worker.schemas = &cfg->schemas;
  request.worker.wrappers = &cfg->wrappers;
  request.worker.ignore = &cfg->ignore;
  request.worker.lldb_server = o.lldb_server;
  request.worker.timeout_seconds = o.timeout_seconds;
  request.worker.extra_env = o.env;
  request.worker.script.scripts_dir = lldb_scripts_dir("");
  request.worker.script.lldb_server = o.lldb_server;
  request.worker.script.extra_env = o.env;
  request.pool.jobs = o.jobs ? o.jobs : campaign::default_jobs();
  request.pool.no_repro_retries = o.retries;
  request.pool.pin_workers = !o.no_pin;
  if (o.watch) {
    return watch_campaign(o, *store, std::move(request), std::move(*known_buckets), binaries, {o.include, o.exclude});
  }
  std::optional<Progress> progress;
  const size_t unmapped_count = found.unmapped.size();
  const size_t skipped = found.skipped;
  campaign::RunSink sink;
  sink.on_plan = [&](const campaign::RunPlan& p) {
    say("triage bulk: {} artifacts ({} to triage{}, {} already in the store{}, {} unmapped){}\n",
        p.tasks + unmapped_count, p.to_triage,
        p.pending_copies > 0 ? fmt::format(" and {} copies of them", p.pending_copies) : "", p.stored,
        p.copied > 0 ? fmt::format(", {} copies of stored results", p.copied) : "", unmapped_count,
        skipped > 0 ? fmt::format("; {} other files (corpus, notes: not named as artifacts) left out", skipped) : "");
    progress.emplace(campaign::ProgressSetup{p.to_triage, p.named_timeouts, *known_buckets, o.view.key_state,
                                             request.pool.jobs, o.timeout_seconds});
  };
  sink.on_record = [&](const core::TriageRecord& r) { progress->add(r); };
  sink.on_progress = [&](const campaign::PoolStats& s) { progress->update(s.done, s.total); };
  auto outcome = campaign::run(*store, request, sink, &g_stop);
  campaign::install_child_cleanup();
  if (!outcome) {
    return report_error(outcome.error());
  }
  if (outcome->store_error) {
    say("triage bulk: stopped after {} of {} artifacts: a result could not be stored; the results "
        "stored before it are kept, and a rerun resumes after them\n",
        outcome->stats.done, outcome->plan.to_triage);
    return report_error(*outcome->store_error);
  }
  // Exit 3 says new buckets appeared; which, is said before the report (and flagged in it).
  const std::set<std::string> known_before = *known_buckets;
  const bool new_buckets = say_new_buckets(*store, o.view.key_state, *known_buckets);
  // Artifacts a previous build (binary or --env) also ran: how their buckets fared.
  std::optional<std::vector<core::BucketComparison>> comparison;
  if (auto compared = campaign::compare_latest_builds(*store, o.view.key_state)) {
    comparison = std::move(*compared);
  }
  if (const auto& compared = comparison) {
    for (const auto& c : *compared) {
      if (c.status == core::BucketStatus::fixed || c.status == core::BucketStatus::changed) {
        say("triage bulk: {} on the new build: bucket {} {} in {}\n", core::to_string(c.status), c.bucket, c.kind,
            c.blamed_function.empty() ? std::string("?") : c.blamed_function);
      }
    }
    say("triage bulk: against the previous build: {} (triage compare {})\n",
        emit::comparison_counts_text(core::count_statuses(*compared)), o.out_dir);
  }
  std::vector<std::pair<std::string, std::string>> unmapped;
  for (const auto& u : found.unmapped) {
    unmapped.emplace_back(u.path, u.reason);
  }
  if (outcome->stopped) {
    say("triage bulk: interrupted after {} of {} artifacts; partial report:\n", outcome->stats.done,
        outcome->plan.to_triage);
  }
  if (const int rc = emit_bucket_reports(*store, o.out_dir, o.view, unmapped, {true, 0, &comparison, &known_before});
      rc != 0) {
    return rc;
  }
  if (outcome->stopped) {
    return 130;
  }
  return new_buckets ? k_exit_new_buckets : 0;
}

}  // namespace triage::cli
