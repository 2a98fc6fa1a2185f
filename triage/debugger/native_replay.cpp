#include "triage/debugger/native_replay.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <utility>

#include <fmt/format.h>

#include "triage/core/native_report.hpp"
#include "triage/debugger/native_run.hpp"
#include "triage/debugger/scratch_dir.hpp"
#include "triage/debugger/session.hpp"
#include "triage/debugger/target_environment.hpp"

#ifndef TRIAGE_LLVM_SYMBOLIZER
#define TRIAGE_LLVM_SYMBOLIZER "/usr/lib/llvm-19/bin/llvm-symbolizer"
#endif

namespace triage::debugger {
namespace {

/// Natively ASan symbolizes its own report with the pinned llvm-symbolizer; abort() gets an ASan
/// report with a stack (replay binaries have no libFuzzer handler); a huge allocation in a binary
/// without libFuzzer's malloc limit (2048 MiB) is reported instead of being attempted.
std::vector<std::string> replay_environment(const std::vector<std::string>& extra) {
  std::vector<std::string> env = controlled_environment(false, {});
  for (auto& e : env) {
    if (e.starts_with("ASAN_OPTIONS=")) {
      e = std::string("ASAN_OPTIONS=detect_leaks=1:symbolize=1:color=never:handle_abort=1:max_allocation_size_mb=2047:"
                      "allocator_may_return_null=0:external_symbolizer_path=") +
          TRIAGE_LLVM_SYMBOLIZER;
    } else if (e.starts_with("RUST_BACKTRACE=")) {
      e = "RUST_BACKTRACE=1";  // a Rust target has no sanitizer stack: the panic hook prints one
    } else if (e.starts_with("UBSAN_OPTIONS=") || e.starts_with("LSAN_OPTIONS=")) {
      e = e.substr(0, e.find('=') + 1) + "symbolize=1:color=never";
    }
  }
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

}  // namespace

core::Result<NativeReplayer> NativeReplayer::open(const std::string& binary, NativeReplayOptions options) {
  NativeReplayer r;
  r.m_binary = binary;
  r.m_env = replay_environment(options.env);
  r.m_options = std::move(options);
  r.m_dir = TRIAGE_TRY(make_scratch_dir("replay"));
  return r;
}

NativeReplayer::NativeReplayer(NativeReplayer&& other) noexcept
    : m_binary(std::move(other.m_binary)),
      m_options(std::move(other.m_options)),
      m_env(std::move(other.m_env)),
      m_dir(std::exchange(other.m_dir, {})) {}

NativeReplayer::~NativeReplayer() {
  if (!m_dir.empty()) {
    remove_scratch_dir(m_dir);
  }
}

core::Result<core::CrashSnapshot> NativeReplayer::run(const std::string& path) {
  std::vector<std::string> argv{m_binary};
  argv.insert(argv.end(), m_options.fuzzer_args.begin(), m_options.fuzzer_args.end());
  argv.push_back(std::filesystem::absolute(path).string());
  const auto run = TRIAGE_TRY(run_native(argv, m_env, m_dir + "/out", m_options.timeout_seconds));
  core::NativeRun native{run.exit_status, run.signal, run.timed_out, m_options.timeout_seconds, run.output};
  core::CrashSnapshot snap = core::snapshot_from_native_run(native);
  snap.binary = std::filesystem::absolute(m_binary).string();
  snap.elapsed_ms = run.elapsed_ms;
  return snap;
}

core::Result<core::CrashSnapshot> NativeReplayer::run_bytes(const std::string& bytes) {
  const std::string path = m_dir + "/candidate";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out) {
      return core::make_error(core::ErrorCode::io_failed, "cannot write " + path);
    }
  }
  return run(path);
}

core::Result<std::optional<std::string>> NativeReplayer::libfuzzer_minimize_step(const std::string& bytes,
                                                                                uint32_t runs, uint32_t seed,
                                                                                uint32_t seconds) {
  const std::string input = m_dir + "/libfuzzer-input";
  const std::string output = m_dir + "/libfuzzer-minimized";
  std::error_code ec;
  std::filesystem::remove(output, ec);
  {
    std::ofstream out(input, std::ios::binary | std::ios::trunc);
    out << bytes;
    if (!out) {
      return core::make_error(core::ErrorCode::io_failed, "cannot write " + input);
    }
  }
  std::vector<std::string> argv{std::filesystem::absolute(m_binary).string(), "-minimize_crash_internal_step=1",
                                fmt::format("-runs={}", runs), fmt::format("-seed={}", seed),
                                fmt::format("-timeout={}", m_options.timeout_seconds), "-exact_artifact_path=" + output,
                                input};
  // From the scratch directory: whatever else libFuzzer writes lands there.
  (void)TRIAGE_TRY(run_native(argv, m_env, m_dir + "/libfuzzer-out", seconds, {m_dir}));
  if (!std::filesystem::is_regular_file(output, ec)) {
    return std::optional<std::string>{};
  }
  std::ifstream in(output, std::ios::binary);
  return std::optional(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
}

}  // namespace triage::debugger
