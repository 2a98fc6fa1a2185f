#include "triage/cli/report_output.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "triage/cli/console.hpp"
#include "triage/cli/exit_codes.hpp"
#include "triage/emit/emitters.hpp"
#include "triage/emit/escape.hpp"
#include "triage/emit/formats.hpp"

namespace triage::cli {

core::Result<void> write_output(const std::string& text, const std::string& path) {
  if (path.empty()) {
    return write_stdout(text);
  }
  std::ofstream out(path);
  out << text;
  out.close();
  if (!out) {
    return core::make_error(core::ErrorCode::io_failed, "cannot write report to " + path);
  }
  return {};
}

core::Result<void> write_report(const core::Report& report, const std::string& format, const std::string& path,
                                const core::Report* dev) {
  std::string text;
  if (emit::report_format_from_string(format) == emit::ReportFormat::json) {
    auto j = emit::to_json(report);
    if (dev != nullptr) {
      j["dev"] = emit::to_json(*dev);
    }
    text = emit::json_text(j) + "\n";
  } else {
    text = emit::to_text(report);
    if (dev != nullptr) {
      text += fmt::format("\n==== the same artifact on the debug build (-O0): {} ====\n\n", dev->binary);
      text += emit::to_text(*dev);
    }
  }
  return write_output(text, path);
}

int report_failure(const core::Error& error, const std::string& format, const std::string& path,
                   const std::string& binary, const std::string& artifact) {
  const int code = report_error(error);
  if (emit::report_format_from_string(format) == emit::ReportFormat::json && error.code != core::ErrorCode::output_closed) {
    core::ArtifactInfo info;
    info.path = artifact;
    const core::Report failed = core::error_report(binary, std::move(info), error.message);
    (void)write_report(failed, format, path);  // the error is already said; a second one would not help
  }
  return code;
}

}  // namespace triage::cli
