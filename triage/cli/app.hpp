#pragma once

namespace triage::cli {

/// Parses the command line and runs the chosen command; returns the process exit code.
int run_app(int argc, char** argv);

}  // namespace triage::cli
