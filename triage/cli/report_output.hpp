#pragma once
// Writing a Report to the terminal or a file (the report itself: core/make_report.hpp).
#include <string>

#include "triage/core/error.hpp"
#include "triage/cli/tool_config.hpp"
#include "triage/core/make_report.hpp"
#include "triage/core/report.hpp"

namespace triage::cli {

using core::make_report;  // core/make_report.hpp

/// Writes the report in `format` ("text" | "json") to `path` (stdout when empty). With `dev` (--dev),
/// the debug build's report follows: after a separator line in text, as the "dev" member in JSON.
core::Result<void> write_report(const core::Report& report, const std::string& format, const std::string& path,
                                const core::Report* dev = nullptr);

/// An error of a command that prints one report: the one-line error on stderr, and with `format` json
/// the report `{"result": "error", "error": ...}` where the report would have gone. The exit code.
int report_failure(const core::Error& error, const std::string& format, const std::string& path,
                   const std::string& binary, const std::string& artifact);

/// Writes `text` to `path`, or to stdout when `path` is empty.
core::Result<void> write_output(const std::string& text, const std::string& path);

}  // namespace triage::cli
