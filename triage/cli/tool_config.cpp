#include "triage/cli/tool_config.hpp"

#include <cstdlib>
#include <sstream>

#ifndef TRIAGE_DATA_DIR
#define TRIAGE_DATA_DIR "triage/data"
#endif
#ifndef TRIAGE_DEVICE_SCHEMA_DIR
#define TRIAGE_DEVICE_SCHEMA_DIR ""
#endif

namespace triage::cli {

std::string data_dir() {
  if (const char* env = std::getenv("TRIAGE_DATA_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  return TRIAGE_DATA_DIR;
}

core::Result<ToolConfig> load_tool_config(const DataOptions& options) {
  core::KnowledgeSources sources;
  sources.data_dir = data_dir();
  if (std::string(TRIAGE_DEVICE_SCHEMA_DIR).size() > 0) {
    sources.schema_dirs.emplace_back(TRIAGE_DEVICE_SCHEMA_DIR);
  }
  if (const char* env = std::getenv("TRIAGE_SCHEMA_PATH"); env != nullptr) {
    std::stringstream ss(env);
    std::string dir;
    while (std::getline(ss, dir, ':')) {
      if (!dir.empty()) {
        sources.schema_dirs.push_back(dir);
      }
    }
  }
  sources.default_schemas = options.default_schemas;
  sources.schema_files = options.schema_files;
  sources.wrapper_files = options.wrapper_files;
  sources.ignore_files = options.ignore_files;
  return core::load_knowledge(sources);
}

void add_data_options(CLI::App& command, DataOptions& options) {
  command.add_option("--schema", options.schema_files, "register schema TOML file")->type_name("FILE");
  command.add_option("--wrappers", options.wrapper_files, "extra wrapper rules TOML file")->type_name("FILE");
  command.add_option("--ignore", options.ignore_files, "extra frame ignore list TOML file")->type_name("FILE");
}

}  // namespace triage::cli
