#include "triage/cli/minimize_command.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <fmt/format.h>

#include "triage/campaign/campaign_run.hpp"
#include "triage/cli/bucket_output.hpp"
#include "triage/cli/console.hpp"
#include "triage/cli/exit_codes.hpp"
#include "triage/cli/inputs.hpp"
#include "triage/core/minimize.hpp"
#include "triage/core/report.hpp"
#include "triage/cli/report_output.hpp"
#include "triage/cli/script_command.hpp"
#include "triage/core/bucket.hpp"
#include "triage/core/signature.hpp"
#include "triage/debugger/lldb_runtime.hpp"
#include "triage/debugger/native_replay.hpp"
#include "triage/debugger/session.hpp"
#include "triage/emit/emitters.hpp"
#include "triage/emit/escape.hpp"
#include "triage/emit/lldb_script.hpp"
#include "triage/store/campaign_store.hpp"
#include "triage/store/store_lock.hpp"

namespace triage::cli {
namespace {

namespace fs = std::filesystem;

struct Minimized {
  std::string signature;
  size_t original_size = 0;
  std::string input;
  size_t checks = 0;
  double seconds = 0;
  bool limited = false;
  /// libFuzzer's minimizer steps: kept (in the bucket), rejected (another bucket), the size they reached.
  size_t libfuzzer_steps = 0;
  size_t libfuzzer_rejected = 0;
  size_t libfuzzer_size = 0;
};

/// Minimizes `artifact` for `binary` in the bucket (signature) its own native replay lands in; an
/// empty signature when it does not crash natively.
core::Result<Minimized> minimize_one(const std::string& binary, const std::string& artifact, std::vector<std::string> env,
                                     const MinimizeOptions& o, const ToolConfig& cfg) {
  const auto start = std::chrono::steady_clock::now();
  std::ifstream in(artifact, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in && !in.eof()) {
    return core::make_error(core::ErrorCode::artifact_unreadable, "cannot read " + artifact);
  }
  auto replayer = TRIAGE_TRY(debugger::NativeReplayer::open(binary, {{}, std::move(env), o.timeout_seconds}));
  core::AnalysisConfig ac;
  ac.ignore = &cfg.ignore;
  ac.schemas = &cfg.schemas;
  const auto signature_of = [&](const std::string& candidate) -> std::string {
    auto snap = replayer.run_bytes(candidate);
    if (!snap) {
      return {};
    }
    const core::Report report = core::analyze(*snap, ac);
    return report.result == core::ResultKind::crash ? report.signature.id : std::string();
  };
  Minimized m;
  m.original_size = bytes.size();
  m.signature = signature_of(bytes);
  if (m.signature.empty()) {
    return m;  // no crash natively: nothing to minimize (the caller says so)
  }
  // libFuzzer's own minimizer first, where the binary is a libFuzzer one: it mutates as well as cuts,
  // thousands of candidates a second in process. Its loop checks only a DEDUP_TOKEN (the same handler
  // frames for every abort and panic), so triage drives the loop: each step's crash is kept only when
  // it lands in the same bucket; one of another bucket is dropped and the step retried with another
  // seed (three times). Triage's own reduction then goes on from the smallest kept.
  if (o.libfuzzer_runs > 0) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(o.libfuzzer_seconds);
    unsigned misses = 0;
    for (uint32_t seed = 1; misses < 3 && bytes.size() > 1 && std::chrono::steady_clock::now() < deadline; ++seed) {
      const auto left = std::chrono::duration_cast<std::chrono::seconds>(deadline - std::chrono::steady_clock::now());
      auto step = replayer.libfuzzer_minimize_step(bytes, o.libfuzzer_runs, seed,
                                                   static_cast<uint32_t>(std::max<int64_t>(1, left.count())));
      if (!step || !*step) {
        break;  // no smaller crash within the runs (or not a libFuzzer binary): as libFuzzer stops
      }
      ++m.checks;
      if ((*step)->empty() || (*step)->size() >= bytes.size() || signature_of(**step) != m.signature) {
        ++misses;
        ++m.libfuzzer_rejected;
        continue;
      }
      misses = 0;
      ++m.libfuzzer_steps;
      bytes = std::move(**step);
    }
    m.libfuzzer_size = m.libfuzzer_steps > 0 ? bytes.size() : 0;
  }
  const auto result = core::minimize_input(
      bytes, [&](const std::string& candidate) { return signature_of(candidate) == m.signature; },
      {o.max_checks, std::chrono::seconds(o.max_seconds)});
  m.input = result.input;
  m.checks += result.checks;
  m.limited = result.limited;
  m.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return m;
}

core::Result<void> write_bytes(const fs::path& path, const std::string& bytes) {
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  return write_file_whole(path.string(), bytes);
}

std::string summary(const Minimized& m) {
  std::string libfuzzer;
  if (m.libfuzzer_steps + m.libfuzzer_rejected > 0) {
    libfuzzer = fmt::format("; libFuzzer's minimizer: {} step{} kept{}, {} of another bucket dropped",
                            m.libfuzzer_steps, m.libfuzzer_steps == 1 ? "" : "s",
                            m.libfuzzer_steps > 0 ? fmt::format(" (to {} bytes)", m.libfuzzer_size) : "",
                            m.libfuzzer_rejected);
  }
  return fmt::format("{} -> {} bytes in {} checks, {:.1f} s{}{}", m.original_size, m.input.size(), m.checks, m.seconds,
                     m.limited ? " (stopped by --max-checks/--max-seconds)" : "", libfuzzer);
}

/// The minimized input of bucket `b`, written at `file`, becomes its representative: it is run once
/// under the debugger (its report, backtrace, device state and lldb command file are its own) and
/// stored as a result of the bucket's build, marked as minimized from the member it came from. False
/// when the debugger signs it otherwise than the bucket (it is then kept as a file only).
core::Result<bool> store_minimized(store::CampaignStore& store, const store::CampaignStore::BinaryBuild& build,
                                   const core::Bucket& b, const fs::path& file, const std::vector<std::string>& env,
                                   const MinimizeOptions& o, const ToolConfig& cfg) {
  const auto art = TRIAGE_TRY(check_binary_and_artifact(build.path, file.string()));
  auto session = TRIAGE_TRY(debugger::Session::open(build.path, cfg.wrappers, cfg.schemas));
  debugger::RunOptions run;
  run.timeout_seconds = o.timeout_seconds;
  run.extra_env = env;
  auto snap = TRIAGE_TRY(session->run(file.string(), run));
  snap.artifact = art;
  snap.binary = build.path;
  core::Report report = make_report(snap, cfg, core::k_default_signature_frames);
  if (report.result != core::ResultKind::crash || report.signature.id != b.signature) {
    return false;
  }
  emit::LldbScriptOptions script;
  script.scripts_dir = lldb_scripts_dir("");
  script.timeout_seconds = o.timeout_seconds;
  script.extra_env = env;
  emit::attach_reproducer(report, script);
  const std::string from = b.minimized_from.empty() ? b.representative : b.minimized_from;
  const auto member = std::ranges::find(b.members, from, &core::BucketMember::path);
  auto record = core::record_from_report(report, member != b.members.end() ? member->target : "");
  record.minimized_from = from;
  const int64_t id = TRIAGE_TRY(store.binary_id(build.path, build.hash));
  TRIAGE_TRY(store.put_result(id, record, emit::json_text(emit::to_json(report), -1)));
  return true;
}

}  // namespace

void add_minimize_options(CLI::App* cmd, MinimizeOptions& o) {
  cmd->add_option("binary_artifact", o.positionals, "BINARY ARTIFACT (without --store)")->expected(0, 2);
  cmd->add_option("--store", o.store_dir, "bulk output directory: minimize every bucket into DIR/minimized/<bucket>")
      ->type_name("DIR");
  cmd->add_option("-o,--output", o.output, "write the minimized input to FILE (default: ARTIFACT.min)")
      ->type_name("FILE");
  cmd->add_option("-t,--timeout", o.timeout_seconds, "seconds before a run counts as a timeout")
      ->check(CLI::Range(1u, 86400u));
  cmd->add_option("--env", o.env, "NAME=VALUE added to the target's environment")->type_name("NAME=VALUE");
  cmd->add_option("--max-checks", o.max_checks, "candidates to try at most, per artifact");
  cmd->add_option("--max-seconds", o.max_seconds, "seconds to spend at most, per artifact");
  cmd->add_option("--libfuzzer-runs", o.libfuzzer_runs,
                  "first let libFuzzer's crash minimizer try, -runs=N per step (a step's result is kept only in "
                  "the same bucket); 0: not at all");
  cmd->add_option("--libfuzzer-seconds", o.libfuzzer_seconds, "seconds libFuzzer's minimizer steps may take at most, per artifact")
      ->check(CLI::Range(1u, 86400u));
  add_data_options(*cmd, o.data);
}

int run_minimize(const MinimizeOptions& o) {
  auto cfg = load_tool_config(o.data);
  if (!cfg) {
    return report_error(cfg.error());
  }
  if (o.store_dir.empty()) {
    if (o.positionals.size() != 2) {
      return report_error({core::ErrorCode::usage, "usage: triage minimize BINARY ARTIFACT [-o FILE], or --store DIR"});
    }
    const std::string& binary = o.positionals[0];
    const std::string& artifact = o.positionals[1];
    if (auto art = check_binary_and_artifact(binary, artifact); !art) {
      return report_error(art.error());
    }
    auto m = minimize_one(binary, artifact, o.env, o, *cfg);
    if (!m) {
      return report_error(m.error());
    }
    if (m->signature.empty()) {
      say("triage minimize: {} does not crash natively: nothing to minimize\n", artifact);
      return k_exit_no_repro;
    }
    const std::string out = o.output.empty() ? artifact + ".min" : o.output;
    if (auto written = write_bytes(out, m->input); !written) {
      return report_error(written.error());
    }
    say("triage minimize: bucket {}: {}: {}\n", m->signature, summary(*m), out);
    return 0;
  }
  auto lock = store::StoreLock::acquire(o.store_dir);
  if (!lock) {
    return report_error(lock.error());
  }
  auto store = open_output_store(o.store_dir);
  if (!store) {
    return report_error(store.error());
  }
  auto records = store->records();
  if (!records) {
    return report_error(records.error());
  }
  auto runtime = debugger::LldbRuntime::start({"", true});
  if (!runtime) {
    return report_error(runtime.error());
  }
  int failures = 0;
  for (const auto& b : core::make_buckets(*records)) {
    auto built = store->binary_of(b.representative);
    if (!built || !*built) {
      say("triage minimize: bucket {}: no binary recorded for {}\n", b.id, b.representative);
      ++failures;
      continue;
    }
    auto env = campaign::env_of_build((*built)->hash);
    auto m = minimize_one((*built)->path, b.representative, env, o, *cfg);
    if (!m || m->signature.empty()) {
      say("triage minimize: bucket {}: {}\n", b.id,
          m ? b.representative + " does not crash natively: nothing to minimize" : m.error().message);
      ++failures;
      continue;
    }
    if (m->signature != b.signature) {
      // The native replay signs it otherwise than the debugger did: minimized in the replay's bucket.
      say("triage minimize: bucket {}: the native replay lands in {}; minimized in that one\n", b.id, m->signature);
    }
    const fs::path out = fs::absolute(fs::path(o.store_dir) / "minimized" / b.id).lexically_normal();
    if (auto written = write_bytes(out, m->input); !written) {
      return report_error(written.error());
    }
    const size_t original = b.minimized_from.empty() ? m->original_size : b.minimized_from_size;
    auto stored = store_minimized(*store, **built, b, out, env, o, *cfg);
    if (!stored) {
      return report_error(stored.error());
    }
    if (!*stored) {
      say("triage minimize: bucket {}: under the debugger {} lands in another bucket: kept as a file only\n", b.id,
          out.string());
      ++failures;
      continue;
    }
    say("triage minimize: bucket {}: {}: {} (the representative now; {} bytes before)\n", b.id, summary(*m),
        out.string(), original);
  }
  // The reports show the minimized representatives.
  if (const int rc = emit_bucket_reports(*store, o.store_dir, {}, {}, {.print = false}); rc != 0) {
    return rc;
  }
  return failures == 0 ? 0 : k_exit_no_repro;
}

}  // namespace triage::cli
