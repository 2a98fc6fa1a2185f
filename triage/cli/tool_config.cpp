#include "triage/cli/tool_config.hpp"

#include <cstdlib>
#include <filesystem>
#include <sstream>

#ifndef TRIAGE_DATA_DIR
#define TRIAGE_DATA_DIR "triage/data"
#endif
#ifndef TRIAGE_DEVICE_SCHEMA_DIR
#define TRIAGE_DEVICE_SCHEMA_DIR ""
#endif

namespace triage::cli {

namespace fs = std::filesystem;

std::string data_dir() {
  if (const char* env = std::getenv("TRIAGE_DATA_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  return TRIAGE_DATA_DIR;
}

core::Result<ToolConfig> load_tool_config(const DataOptions& options) {
  ToolConfig cfg;
  const fs::path data = data_dir();
  if (options.default_schemas) {
    std::vector<fs::path> dirs{data / "schemas"};
    if (std::string(TRIAGE_DEVICE_SCHEMA_DIR).size() > 0) {
      dirs.emplace_back(TRIAGE_DEVICE_SCHEMA_DIR);
    }
    if (const char* env = std::getenv("TRIAGE_SCHEMA_PATH"); env != nullptr) {
      std::stringstream ss(env);
      std::string dir;
      while (std::getline(ss, dir, ':')) {
        if (!dir.empty()) {
          dirs.emplace_back(dir);
        }
      }
    }
    for (const auto& d : dirs) {
      std::error_code ec;
      if (!fs::is_directory(d, ec)) {
        continue;
      }
      for (auto& s : TRIAGE_TRY(core::load_schema_dir(d))) {
        cfg.schemas.add(std::move(s));
      }
    }
  }
  // User schemas go first: they win lookups.
  core::SchemaSet ordered;
  for (const auto& f : options.schema_files) {
    ordered.add(TRIAGE_TRY(core::load_device_schema(f)));
  }
  for (const auto& s : cfg.schemas.schemas()) {
    ordered.add(s);
  }
  cfg.schemas = std::move(ordered);

  cfg.wrappers = TRIAGE_TRY(core::load_wrapper_rules(data / "wrappers.toml"));
  for (auto it = options.wrapper_files.rbegin(); it != options.wrapper_files.rend(); ++it) {
    cfg.wrappers.prepend(TRIAGE_TRY(core::load_wrapper_rules(*it)));
  }
  cfg.ignore = TRIAGE_TRY(core::load_ignore_list(data / "ignore_frames.toml"));
  for (const auto& f : options.ignore_files) {
    core::merge_into(cfg.ignore, TRIAGE_TRY(core::load_ignore_list(f)));
  }
  return cfg;
}

void add_data_options(CLI::App& command, DataOptions& options) {
  command.add_option("--schema", options.schema_files, "register schema TOML file")->type_name("FILE");
  command.add_option("--wrappers", options.wrapper_files, "extra wrapper rules TOML file")->type_name("FILE");
  command.add_option("--ignore", options.ignore_files, "extra frame ignore list TOML file")->type_name("FILE");
}

}  // namespace triage::cli
