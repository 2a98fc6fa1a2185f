#include "triage/campaign/worker.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>

#include <nlohmann/json.hpp>

#include "triage/core/bucket.hpp"
#include "triage/core/report.hpp"
#include "triage/core/signature.hpp"
#include "triage/core/utf8.hpp"
#include "triage/debugger/lldb_runtime.hpp"
#include "triage/debugger/session.hpp"
#include "triage/debugger/session_pool.hpp"
#include "triage/emit/emitters.hpp"
#include "triage/emit/escape.hpp"
#include "triage/emit/lldb_script.hpp"

namespace triage::campaign {
namespace {

using nlohmann::json;

bool write_line(int fd, const std::string& line) {
  std::string data = line + "\n";
  const char* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n <= 0) {
      return false;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return true;
}

/// A task's result: its record (what buckets are made of) and its report, already JSON text.
struct Outcome {
  json record;
  std::string report_text;
};

Outcome outcome(const core::Report& report, const std::string& target) {
  return {core::record_to_json(core::record_from_report(report, target)),
          emit::json_text(emit::to_json(report), -1)};
}

core::Result<core::ArtifactInfo> read_artifact(const std::string& path, uint64_t max_bytes) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) {
    return core::make_error(core::ErrorCode::artifact_missing, "artifact not readable: " + path);
  }
  if (size == 0) {
    return core::make_error(core::ErrorCode::artifact_empty, "artifact is empty: " + path);
  }
  if (size > max_bytes) {
    return core::make_error(core::ErrorCode::artifact_too_large, "artifact too large: " + path);
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return core::ArtifactInfo{path, core::sha1_hex(bytes), size};
}

class Worker {
 public:
  explicit Worker(const WorkerConfig& c) : m_config(c) {}

  Outcome handle(const json& task) {
    const std::string binary = core::utf8_to_bytes(task.at("binary").get<std::string>());
    const std::string artifact = core::utf8_to_bytes(task.at("artifact").get<std::string>());
    const std::string target = core::utf8_to_bytes(task.value("target", ""));
    auto art = read_artifact(artifact, m_config.max_artifact_bytes);
    if (!art) {
      return error_result(binary, core::ArtifactInfo{artifact, "", 0}, target, art.error().message);
    }
    auto session = session_for(binary);
    if (!session) {
      return error_result(binary, *art, target, session.error().message);
    }
    debugger::RunOptions run;
    run.timeout_seconds = task.value("timeout", m_config.timeout_seconds);
    run.extra_env = m_config.extra_env;
    auto snap = (*session)->run(artifact, run);
    if (!snap) {
      return error_result(binary, *art, target, snap.error().message);
    }
    snap->artifact = *art;
    core::AnalysisConfig ac;
    ac.schemas = m_config.schemas;
    ac.ignore = m_config.ignore;
    emit::LldbScriptOptions script = m_config.script;
    script.timeout_seconds = run.timeout_seconds;
    core::Report report = core::analyze(*snap, ac);
    emit::attach_reproducer(report, script);
    return outcome(report, target);
  }

 private:
  Outcome error_result(const std::string& binary, const core::ArtifactInfo& art, const std::string& target,
                       const std::string& message) {
    return outcome(core::error_report(binary, art, message), target);
  }

  core::Result<debugger::Session*> session_for(const std::string& binary) {
    return m_sessions.get(binary, *m_config.wrappers, *m_config.schemas);
  }

  const WorkerConfig& m_config;
  debugger::SessionPool m_sessions{{m_config.recreate_target_every, 16}};
};

}  // namespace

int run_worker(int in_fd, int out_fd, const WorkerConfig& config) {
  auto runtime = debugger::LldbRuntime::start({config.lldb_server, true});
  FILE* in = fdopen(in_fd, "r");
  if (in == nullptr) {
    return 2;
  }
  char* line = nullptr;
  size_t cap = 0;
  {
    Worker worker(config);
    while (getline(&line, &cap, in) > 0) {
      const auto task = json::parse(line, nullptr, false);
      if (task.is_discarded() || !task.is_object() || !task.contains("id") || !task.contains("binary") ||
          !task.contains("artifact")) {
        continue;
      }
      Outcome o = runtime ? worker.handle(task)
                          : outcome(core::error_report(task.value("binary", ""), {task.value("artifact", ""), "", 0},
                                                       runtime.error().message),
                                    task.value("target", ""));
      // Two lines: the header, then the report's compact JSON text (no raw newline in it), which the
      // pool stores as it is. Parsing ~20 KB of report back into a tree, to print it again, was most
      // of the pool's 1.3 ms per result.
      const json header{{"id", task["id"]}, {"record", std::move(o.record)}};
      if (!write_line(out_fd, emit::json_text(header, -1) + "\n" + o.report_text)) {
        break;
      }
    }
  }
  std::free(line);
  std::fclose(in);
  return 0;
}

}  // namespace triage::campaign
