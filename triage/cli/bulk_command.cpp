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
#include <nlohmann/json.hpp>

#include "triage/campaign/child_cleanup.hpp"
#include "triage/campaign/discovery.hpp"
#include "triage/campaign/worker_pool.hpp"
#include "triage/cli/exit_codes.hpp"
#include "triage/core/bucket.hpp"
#include "triage/core/elf_build_id.hpp"
#include "triage/core/signature.hpp"
#include "triage/emit/escape.hpp"
#include "triage/store/campaign_store.hpp"
#include "triage/store/store_lock.hpp"

namespace triage::cli {
namespace {

namespace fs = std::filesystem;

std::atomic<bool> g_stop{false};

void on_interrupt(int /*signo*/) { g_stop = true; }

/// The SHA-1 of a regular file's contents; none when it cannot be read (the worker then records why).
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

/// Names a binary build: its GNU build ID (read from its notes, where hashing all of a 20 MB fuzz
/// binary took ~20 ms per target at every start), else the SHA-1 of its contents.
std::string binary_build(const std::string& path) {
  if (auto id = core::elf_build_id(path)) {
    return "build-id:" + *id;
  }
  return file_sha1(path).value_or("unreadable");
}

/// The record of an artifact whose content was triaged under another path.
core::TriageRecord record_for_copy(core::TriageRecord record, const campaign::ArtifactTask& copy) {
  record.artifact = copy.path;
  record.target = copy.target;
  return record;
}

class Progress {
 public:
  explicit Progress(size_t total) : m_total(total), m_tty(isatty(STDERR_FILENO) != 0), m_start(Clock::now()) {}
  void update(size_t done) {
    const auto now = Clock::now();
    const double secs = std::chrono::duration<double>(now - m_start).count();
    const double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
    const double eta = rate > 0 ? static_cast<double>(m_total - done) / rate : 0;
    const std::string line = fmt::format("[{}/{}] {:.1f} artifacts/s, ETA {}:{:02}", done, m_total, rate,
                                         static_cast<int>(eta) / 60, static_cast<int>(eta) % 60);
    if (m_tty) {
      say("\r{}\033[K", line);
      if (done == m_total) {
        say("\n");
      }
    } else if (done == m_total || now - m_last >= std::chrono::seconds(5)) {
      say("triage bulk: {}\n", line);
      m_last = now;
    }
  }

 private:
  using Clock = std::chrono::steady_clock;
  size_t m_total;
  bool m_tty;
  Clock::time_point m_start;
  Clock::time_point m_last{};
};

}  // namespace

CLI::App* add_bulk_command(CLI::App& app, BulkOptions& o) {
  CLI::App* cmd = app.add_subcommand("bulk", "triage every artifact of a campaign in parallel, then print the buckets");
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
  cmd->add_option("--retries", o.retries, "run an artifact that does not crash up to N more times (flaky if it then does)")
      ->check(CLI::Range(0u, 100u));
  cmd->add_flag("--rerun", o.rerun, "triage again what the store already has");
  cmd->add_option("--shard", o.shard, "K/N: triage only the K-th of N deterministic slices");
  cmd->add_option("--lldb-server", o.lldb_server, "lldb-server to use");
  add_data_options(*cmd, o.data);
  return cmd;
}

int run_bulk(const BulkOptions& o) {
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
  if (found.tasks.empty() && binaries.bin_dir.empty() && binaries.explicit_targets.empty() && found.found.empty()) {
    return report_error({core::ErrorCode::usage,
                         "no fuzz binaries found: give --bin-dir or --map (cargo-fuzz layouts are found by themselves)"});
  }
  std::vector<campaign::ArtifactTask> tasks = std::move(found.tasks);
  if (!o.shard.empty()) {
    unsigned k = 0;
    unsigned n = 0;
    if (std::sscanf(o.shard.c_str(), "%u/%u", &k, &n) != 2 || n == 0 || k == 0 || k > n) {
      return report_error({core::ErrorCode::usage, "--shard takes K/N with 1 <= K <= N"});
    }
    tasks = campaign::shard(tasks, k, n);
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
  std::set<std::string> known_buckets;
  if (auto before = store->records()) {
    for (const auto& b : core::make_buckets(*before, {o.view.key_state})) {
      known_buckets.insert(b.id);
    }
  }
  // Incremental: skip what this binary build already triaged at this path. Every path is recorded
  // (the store keys results by content, build and path), but one content runs once per build: a copy
  // (libFuzzer's minimized-from-X beside crash-X, a second directory) takes the result of its first
  // path, from the store or from this run.
  std::map<std::string, int64_t> binary_ids;
  std::vector<campaign::ArtifactTask> todo;
  std::map<std::pair<std::string, int64_t>, size_t> first_with_content;  // (sha1, build) -> todo index
  std::map<size_t, std::vector<campaign::ArtifactTask>> copies;           // todo index -> same content
  size_t stored = 0;
  size_t copied = 0;
  for (const auto& t : tasks) {
    if (!binary_ids.contains(t.binary)) {
      auto id = store->binary_id(fs::absolute(t.binary).string(), binary_build(t.binary));
      if (!id) {
        return report_error(id.error());
      }
      binary_ids[t.binary] = *id;
    }
    const int64_t build = binary_ids[t.binary];
    const auto sha1 = file_sha1(t.path);
    if (!sha1) {
      todo.push_back(t);
      continue;
    }
    if (!o.rerun) {
      auto has = store->has_result(*sha1, build, t.path);
      if (!has) {
        return report_error(has.error());
      }
      if (*has) {
        ++stored;
        continue;
      }
      auto same = store->result_for_content(*sha1, build);
      if (!same) {
        return report_error(same.error());
      }
      if (*same) {
        auto put = store->put_result(build, record_for_copy((*same)->record, t), (*same)->report_json);
        if (!put) {
          return report_error(put.error());
        }
        ++copied;
        continue;
      }
    }
    const auto key = std::pair{*sha1, build};
    if (const auto it = first_with_content.find(key); it != first_with_content.end()) {
      copies[it->second].push_back(t);
      continue;
    }
    first_with_content[key] = todo.size();
    todo.push_back(t);
  }
  size_t pending_copies = 0;
  for (const auto& [index, same] : copies) {
    pending_copies += same.size();
  }
  say("triage bulk: {} artifacts ({} to triage{}, {} already in the store{}, {} unmapped){}\n",
      tasks.size() + found.unmapped.size(), todo.size(),
      pending_copies > 0 ? fmt::format(" and {} copies of them", pending_copies) : "", stored,
      copied > 0 ? fmt::format(", {} copies of stored results", copied) : "", found.unmapped.size(),
      found.skipped > 0 ? fmt::format("; {} other files (corpus, notes: not named as artifacts) left out", found.skipped)
                        : "");

  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);

  campaign::WorkerConfig wc;
  wc.schemas = &cfg->schemas;
  wc.wrappers = &cfg->wrappers;
  wc.ignore = &cfg->ignore;
  wc.lldb_server = o.lldb_server;
  wc.timeout_seconds = o.timeout_seconds;
  campaign::PoolOptions po;
  po.jobs = o.jobs ? o.jobs : campaign::default_jobs();
  po.no_repro_retries = o.retries;
  po.pin_workers = !o.no_pin;
  Progress progress(todo.size());
  std::optional<core::Error> store_error;
  const auto stats = campaign::run_pool(
      todo, wc, po,
      [&](const campaign::TaskResult& r) {
        const int64_t build = binary_ids[r.task->binary];
        auto put = store->put_result(build, r.record, r.report_text);
        if (const auto it = copies.find(static_cast<size_t>(r.task - todo.data())); put && it != copies.end()) {
          for (const auto& t : it->second) {
            put = store->put_result(build, record_for_copy(r.record, t), r.report_text);
            if (!put) {
              break;
            }
          }
        }
        if (!put && !store_error) {
          // A full disk, a store gone read-only: stop now rather than compute results that cannot be
          // kept. What was committed stays, and the next run resumes from it.
          store_error = put.error();
          g_stop = true;
        }
      },
      [&](const campaign::PoolStats& s) { progress.update(s.done); }, &g_stop);
  campaign::install_child_cleanup();
  if (store_error) {
    say("triage bulk: stopped after {} of {} artifacts: a result could not be stored; the results "
                       "stored before it are kept, and a rerun resumes after them\n",
               stats.done, todo.size());
    return report_error(*store_error);
  }
  std::vector<std::pair<std::string, std::string>> unmapped;
  for (const auto& u : found.unmapped) {
    unmapped.emplace_back(u.path, u.reason);
  }
  if (g_stop) {
    say("triage bulk: interrupted after {} of {} artifacts; partial report:\n", stats.done, todo.size());
  }
  if (const int rc = emit_bucket_reports(*store, o.out_dir, o.view, unmapped); rc != 0) {
    return rc;
  }
  if (g_stop) {
    return 130;
  }
  auto after = store->records();
  bool new_buckets = false;
  if (after) {
    for (const auto& b : core::make_buckets(*after, {o.view.key_state})) {
      new_buckets = new_buckets || !known_buckets.contains(b.id);
    }
  }
  return new_buckets ? k_exit_new_buckets : 0;
}

}  // namespace triage::cli
