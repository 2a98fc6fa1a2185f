#pragma once
// A run's report as every front end makes it: analyze() with the knowledge, the reproduce line of a
// run, and the blamed frame's source lines when the file is on disk.
#include <cstddef>

#include "triage/core/knowledge.hpp"
#include "triage/core/report.hpp"
#include "triage/core/signature.hpp"
#include "triage/core/snapshot.hpp"

namespace triage::core {

Report make_report(const CrashSnapshot& snapshot, const Knowledge& knowledge,
                   size_t signature_frames = k_default_signature_frames);

/// Reads `context_lines` lines either side of the blamed frame's line, when its source file is there.
void attach_source_excerpt(Report& report, unsigned context_lines = 2);

}  // namespace triage::core
