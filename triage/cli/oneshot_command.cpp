#include "triage/cli/console.hpp"
#include "triage/cli/cli_conventions.hpp"
#include "triage/cli/oneshot_command.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "triage/cli/exit_codes.hpp"
#include "triage/cli/inputs.hpp"
#include "triage/cli/report_output.hpp"
#include "triage/core/report.hpp"
#include "triage/debugger/lldb_runtime.hpp"
#include "triage/debugger/session.hpp"
#include "triage/debugger/session_pool.hpp"
#include "triage/emit/escape.hpp"

namespace triage::cli {

void add_oneshot_options(CLI::App& app, OneShotOptions& o) {
  app.add_option("binary", o.binary, "fuzz binary (libFuzzer or replay)");
  app.add_option("artifact", o.artifact, "crash artifact to run");
  add_format_option(app, o.format, emit::report_formats(), "report format");
  app.add_option("-o,--output", o.output, "write the report to FILE instead of stdout")->type_name("FILE");
  app.add_option("-t,--timeout", o.timeout_seconds, "seconds before a run counts as a timeout")
      ->check(CLI::Range(1u, 86400u));
  app.add_option("--signature-frames", o.signature_frames, "frames in the crash signature")->check(CLI::Range(1, 16));
  app.add_option("--max-artifact-size", o.max_artifact_bytes, "largest artifact accepted, in bytes (default 64 MiB)");
  app.add_option("--lldb-server", o.lldb_server, "lldb-server to use (default: $LLDB_DEBUGSERVER_PATH, then the build's)");
  app.add_option("--root", o.roots, "extra device-state root: an expression in the crashing frame")
      ->type_name("EXPR");
  app.add_option("--env", o.env, "NAME=VALUE added to the target's environment")->type_name("NAME=VALUE");
  app.add_flag("--no-devices", o.no_devices, "do not dump device state");
  add_data_options(app, o.data);
  app.add_option("--snapshot-out", o.snapshot_out, "also write the raw crash snapshot as JSON to FILE")->type_name("FILE");
  app.add_option("--from-snapshot", o.from_snapshot, "analyse a snapshot JSON file instead of running anything")
      ->type_name("FILE");
  app.add_flag("--dev", o.dev, "also rerun on the debug (-O0) build of the target, <binary>_dev, and report both");
  app.add_option("--dev-binary", o.dev_binary, "the debug build for --dev (implies --dev)");
  app.add_flag("--no-server", o.no_server, "run in this process even when a `triage serve` is running");
}

namespace {

core::Result<core::CrashSnapshot> load_snapshot(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    return core::make_error(core::ErrorCode::data_invalid, "cannot read snapshot " + path);
  }
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded()) {
    return core::make_error(core::ErrorCode::data_invalid, "snapshot is not valid JSON: " + path);
  }
  return core::snapshot_from_json(j);
}

/// TRIAGE_PHASES=1 prints where the time goes (start-up, target creation, the run) on stderr.
class PhaseTimer {
 public:
  PhaseTimer() : m_enabled(std::getenv("TRIAGE_PHASES") != nullptr), m_last(std::chrono::steady_clock::now()) {}
  void mark(const char* phase) {
    const auto now = std::chrono::steady_clock::now();
    if (m_enabled) {
      say("triage: phase {:<12} {:8.1f} ms\n", phase,
                 std::chrono::duration<double, std::milli>(now - m_last).count());
    }
    m_last = now;
  }

 private:
  bool m_enabled;
  std::chrono::steady_clock::time_point m_last;
};

struct Captured {
  core::CrashSnapshot main;
  std::optional<core::CrashSnapshot> dev;
};

core::Result<core::CrashSnapshot> capture_one(const OneShotOptions& o, const ToolConfig& cfg, const core::ArtifactInfo& art,
                                              const std::string& binary, debugger::SessionPool& pool, PhaseTimer& timer) {
  debugger::Session* session = TRIAGE_TRY(pool.get(binary, cfg.wrappers, cfg.schemas));
  timer.mark("target");
  if (!session->has_debug_info()) {
    say("triage: warning: {} has no debug info: symbol-level report only\n", binary);
  }
  debugger::RunOptions run;
  run.timeout_seconds = o.timeout_seconds;
  run.extra_env = o.env;
  run.extra_roots = o.roots;
  run.dump_devices = !o.no_devices;
  auto snap = TRIAGE_TRY(session->run(o.artifact, run));
  timer.mark("run");
  snap.artifact = art;
  return snap;
}

core::Result<Captured> capture(const OneShotOptions& o, const ToolConfig& cfg, const core::ArtifactInfo& art,
                               const std::string& dev_binary) {
  PhaseTimer timer;
  // In `triage serve` the server's LLDB and warm sessions; otherwise our own, for this one capture
  // (the pool goes before the runtime: sessions must close before LLDB terminates).
  std::unique_ptr<debugger::LldbRuntime> runtime;
  std::unique_ptr<debugger::SessionPool> own_pool;
  debugger::SessionPool* pool = o.sessions;
  if (pool == nullptr) {
    runtime = TRIAGE_TRY(debugger::LldbRuntime::start({o.lldb_server, true}));
    own_pool = std::make_unique<debugger::SessionPool>();
    pool = own_pool.get();
  }
  timer.mark("initialize");
  Captured out{TRIAGE_TRY(capture_one(o, cfg, art, o.binary, *pool, timer)), std::nullopt};
  if (!dev_binary.empty()) {
    out.dev = TRIAGE_TRY(capture_one(o, cfg, art, dev_binary, *pool, timer));
  }
  own_pool.reset();
  runtime.reset();
  timer.mark("teardown");
  return out;
}

/// The -O0 build of the same target: --dev-binary, else <binary>_dev next to the binary, else for a
/// cargo build (`target/<triple>/release/<name>`) the debug profile's `target/<triple>/debug/<name>`.
core::Result<std::string> find_dev_binary(const OneShotOptions& o) {
  std::string dev = o.dev_binary;
  if (dev.empty()) {
    const std::filesystem::path b(o.binary);
    dev = (b.parent_path() / (b.filename().string() + "_dev")).string();
    const auto cargo_debug = b.parent_path().parent_path() / "debug" / b.filename();
    if (std::error_code ec; b.parent_path().filename() == "release" && !std::filesystem::exists(dev, ec) &&
                            std::filesystem::exists(cargo_debug, ec)) {
      dev = cargo_debug.string();
    }
  }
  if (auto ok = check_binary(dev); !ok) {
    return core::make_error(ok.error().code, "--dev: no debug build of " + o.binary + ": " + ok.error().message);
  }
  return dev;
}

}  // namespace

int run_oneshot(const OneShotOptions& o) {
  // With --format json an error is a report too: {"result": "error", ...}.
  const auto fail = [&o](const core::Error& error) {
    return report_failure(error, o.format, o.output, o.binary, o.artifact);
  };
  auto cfg = load_tool_config(o.data);
  if (!cfg) {
    return fail(cfg.error());
  }
  core::CrashSnapshot snap;
  std::optional<core::CrashSnapshot> dev_snap;
  if (!o.from_snapshot.empty()) {
    auto loaded = load_snapshot(o.from_snapshot);
    if (!loaded) {
      return fail(loaded.error());
    }
    snap = std::move(*loaded);
  } else {
    if (o.binary.empty() || o.artifact.empty()) {
      return fail({core::ErrorCode::usage, "usage: triage <fuzz-binary> <artifact> (see --help)"});
    }
    auto art = check_binary_and_artifact(o.binary, o.artifact,
                                         o.max_artifact_bytes ? o.max_artifact_bytes : k_default_max_artifact_bytes);
    if (!art) {
      return fail(art.error());
    }
    std::string dev_binary;
    if (o.dev || !o.dev_binary.empty()) {
      auto found = find_dev_binary(o);
      if (!found) {
        return fail(found.error());
      }
      dev_binary = *found;
    }
    auto captured = capture(o, *cfg, *art, dev_binary);
    if (!captured) {
      return fail(captured.error());
    }
    snap = std::move(captured->main);
    dev_snap = std::move(captured->dev);
  }
  if (!o.snapshot_out.empty()) {
    std::ofstream out(o.snapshot_out);
    out << emit::json_text(core::to_json(snap)) << "\n";
    if (!out) {
      return fail({core::ErrorCode::io_failed, "cannot write " + o.snapshot_out});
    }
  }
  const core::Report report = make_report(snap, *cfg, o.signature_frames);
  std::optional<core::Report> dev_report;
  if (dev_snap) {
    dev_report = make_report(*dev_snap, *cfg, o.signature_frames);
  }
  if (auto written = write_report(report, o.format, o.output, dev_report ? &*dev_report : nullptr); !written) {
    return report_error(written.error());  // where the report goes is what failed
  }
  return report.result == core::ResultKind::crash ? k_exit_crash : k_exit_no_repro;
}

}  // namespace triage::cli
