#pragma once
// Rendering a Report for the terminal or a file, plus the bits of it that need the filesystem
// (source excerpts) and the shell (the reproduce command).
#include <string>

#include "triage/core/error.hpp"
#include "triage/cli/tool_config.hpp"
#include "triage/core/report.hpp"

namespace triage::cli {

/// analyze() with the tool's data, plus the reproduce command and the blamed frame's source lines.
core::Report make_report(const core::CrashSnapshot& snapshot, const ToolConfig& config, size_t signature_frames);

/// Reads a few lines around the blamed frame's line, when the source file is on disk.
void attach_source_excerpt(core::Report& report, unsigned context_lines = 2);
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
