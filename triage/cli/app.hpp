#pragma once

namespace triage::debugger {
class SessionPool;
}

namespace triage::cli {

/// What a long-running caller (`triage serve`) lends the command it runs.
struct AppContext {
  debugger::SessionPool* sessions = nullptr;  ///< warm sessions; LLDB already initialized
};

/// Parses the command line and runs the chosen command; returns the process exit code.
int run_app(int argc, char** argv, const AppContext& context = {});

}  // namespace triage::cli
