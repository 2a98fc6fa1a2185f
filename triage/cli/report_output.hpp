#pragma once
// Rendering a Report for the terminal or a file, plus the bits of it that need the filesystem
// (source excerpts) and the shell (the reproduce command).
#include <string>

#include "triage/core/error.hpp"
#include "triage/core/report.hpp"

namespace triage::cli {

/// A shell command that reproduces the crash natively.
std::string reproduce_command(const std::string& binary, const std::string& artifact);
/// Reads a few lines around the blamed frame's line, when the source file is on disk.
void attach_source_excerpt(core::Report& report, unsigned context_lines = 2);
/// Writes the report in `format` ("text" | "json") to `path` (stdout when empty).
core::Result<void> write_report(const core::Report& report, const std::string& format, const std::string& path);

}  // namespace triage::cli
