#include "triage/core/make_report.hpp"

#include <fstream>

#include "triage/core/reproduce.hpp"

namespace triage::core {

void attach_source_excerpt(Report& report, unsigned context_lines) {
  if (!report.blamed || report.blamed->frame.file.empty() || report.blamed->frame.line == 0) {
    return;
  }
  std::ifstream in(report.blamed->frame.file);
  if (!in) {
    return;
  }
  const uint32_t target = report.blamed->frame.line;
  const uint32_t first = target > context_lines ? target - context_lines : 1;
  SourceExcerpt ex{report.blamed->frame.file, first, {}, target};
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

Report make_report(const CrashSnapshot& snapshot, const Knowledge& knowledge, size_t signature_frames) {
  AnalysisConfig ac;
  ac.ignore = &knowledge.ignore;
  ac.schemas = &knowledge.schemas;
  ac.signature_frames = signature_frames;
  Report report = analyze(snapshot, ac);
  if (report.source == "run") {
    report.reproduce_command = reproduce_command(report.binary, report.artifact.path);
  }
  attach_source_excerpt(report);
  return report;
}

}  // namespace triage::core
