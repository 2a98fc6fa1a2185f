#include "triage/debugger/target_environment.hpp"

#include <cstdlib>
#include <string>
#include <vector>

namespace triage::debugger {

std::vector<std::string> controlled_environment(bool under_debugger, const std::vector<std::string>& extra) {
  std::vector<std::string> env;
  const char* path = std::getenv("PATH");
  env.push_back(std::string("PATH=") + (path != nullptr ? path : "/usr/bin:/bin"));
  env.emplace_back("LANG=C");
  env.emplace_back("RUST_BACKTRACE=0");
  if (under_debugger) {
    env.emplace_back("ASAN_OPTIONS=detect_leaks=0:symbolize=0:color=never:detect_odr_violation=0");
  } else {
    env.emplace_back("ASAN_OPTIONS=detect_leaks=1:symbolize=0:color=never:detect_odr_violation=0");
  }
  env.emplace_back("LSAN_OPTIONS=symbolize=0");
  env.emplace_back("UBSAN_OPTIONS=symbolize=0:color=never:print_stacktrace=0");
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

}  // namespace triage::debugger
