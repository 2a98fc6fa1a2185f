#include "triage/debugger/debugger_settings.hpp"

#include <cstdlib>
#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <lldb/API/SBCommandInterpreter.h>
#include <lldb/API/SBCommandReturnObject.h>

namespace triage::debugger {
namespace {

/// Settings for a batch debugger: nothing from the network, nothing from the user's init files.
constexpr const char* k_settings[] = {
    "settings set symbols.enable-external-lookup false",
    "settings set target.load-script-from-symbol-file false",
    "settings set target.disable-aslr true",
    "settings set auto-confirm true",
    // When we die (SIGKILL, a liblldb crash) lldb-server loses its connection: it must kill the process
    // it launched, not detach and leave it running untraced (a timeout artifact spins forever).
    "settings set target.detach-on-error false",
    // Values are walked through raw members (wrappers.toml); LLDB's synthetic children would only cost
    // time (its libstdc++ vector/map providers are Python) every time a value is touched.
    "settings set target.enable-synthetic-value false",
    "settings set target.prefer-dynamic-value no-dynamic-values",
};

/// $XDG_CACHE_HOME/triage/lldb-index, else ~/.cache/triage/lldb-index; empty (no cache) without either.
std::string index_cache_dir() {
  std::filesystem::path base;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg == '/') {
    base = xdg;
  } else if (const char* home = std::getenv("HOME"); home != nullptr && *home == '/') {
    base = std::filesystem::path(home) / ".cache";
  } else {
    return {};
  }
  const auto dir = base / "triage" / "lldb-index";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  return ec ? std::string() : dir.string();
}

}  // namespace

void configure_batch_debugger(lldb::SBDebugger& debugger) {
  lldb::SBCommandInterpreter interp = debugger.GetCommandInterpreter();
  for (const char* cmd : k_settings) {
    lldb::SBCommandReturnObject result;
    interp.HandleCommand(cmd, result);
  }
  // LLDB's on-disk index cache: symbol tables and the DWARF name index of every module, so a new process
  // does not re-parse libc, libstdc++ and the fuzz binary (~12 ms of a one-shot's target creation).
  if (const std::string cache = index_cache_dir(); !cache.empty()) {
    lldb::SBCommandReturnObject result;
    interp.HandleCommand("settings set symbols.enable-lldb-index-cache true", result);
    interp.HandleCommand(fmt::format("settings set symbols.lldb-index-cache-path \"{}\"", cache).c_str(), result);
  }
  // Developer aid: TRIAGE_LLDB_LOG=FILE writes LLDB's timestamped gdb-remote packet log (where a launch
  // spends its time: lldb-server start, qHostInfo, memory region reads).
  if (const char* log = std::getenv("TRIAGE_LLDB_LOG"); log != nullptr && *log != '\0') {
    lldb::SBCommandReturnObject result;
    interp.HandleCommand(fmt::format("log enable -T -f {} gdb-remote packets", log).c_str(), result);
  }
}

}  // namespace triage::debugger
