#include "triage/cli/report_output.hpp"

#include <unistd.h>

#include <cstdio>
#include <fstream>

#include <fmt/format.h>

#include "triage/emit/emitters.hpp"

namespace triage::cli {
namespace {

std::string shell_quote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=+:,") ==
                        std::string::npos) {
    return s;
  }
  std::string out = "'";
  for (char c : s) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

}  // namespace

std::string reproduce_command(const std::string& binary, const std::string& artifact) {
  return shell_quote(binary) + " " + shell_quote(artifact);
}

void attach_source_excerpt(core::Report& report, unsigned context_lines) {
  if (!report.blamed || report.blamed->frame.file.empty() || report.blamed->frame.line == 0) {
    return;
  }
  std::ifstream in(report.blamed->frame.file);
  if (!in) {
    return;
  }
  const uint32_t target = report.blamed->frame.line;
  const uint32_t first = target > context_lines ? target - context_lines : 1;
  core::SourceExcerpt ex{report.blamed->frame.file, first, {}, target};
  std::string line;
  for (uint32_t n = 1; std::getline(in, line) && n <= target + context_lines; ++n) {
    if (n >= first) {
      ex.lines.push_back(line);
    }
  }
  if (!ex.lines.empty()) {
    report.blamed_source = std::move(ex);
  }
}

core::Result<void> write_report(const core::Report& report, const std::string& format, const std::string& path) {
  const std::string text = format == "json" ? emit::to_json_text(report) : emit::to_text(report);
  if (path.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return {};
  }
  std::ofstream out(path);
  out << text;
  if (!out) {
    return core::make_error(core::ErrorCode::io_failed, "cannot write report to " + path);
  }
  return {};
}

}  // namespace triage::cli
