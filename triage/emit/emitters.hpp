#pragma once
// Emitters: Report -> string. Text for people, JSON (documented, versioned schema) for machines.
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "triage/core/report.hpp"

namespace triage::emit {

inline constexpr int k_json_schema_version = 1;

struct TextOptions {
  unsigned max_state_lines = 120;  ///< per device
  unsigned max_frames = 40;
  bool show_ignored_frames = true;
  unsigned thread_frames = 8;  ///< per thread, for attach and core reports
  unsigned evidence_frames = 6;  ///< per free / allocation stack of a sanitizer report
};

std::string to_text(const core::Report& report, const TextOptions& options = {});
nlohmann::json to_json(const core::Report& report);
std::string to_json_text(const core::Report& report);

}  // namespace triage::emit
