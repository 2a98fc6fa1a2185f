#pragma once
// The command line's side of the knowledge triage runs with (core/knowledge.hpp): --schema,
// --wrappers, --ignore, and where the shipped data is ($TRIAGE_DATA_DIR, the build's device schemas,
// $TRIAGE_SCHEMA_PATH).
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "triage/core/error.hpp"
#include "triage/core/knowledge.hpp"

namespace triage::cli {

struct DataOptions {
  std::vector<std::string> schema_files;
  std::vector<std::string> wrapper_files;
  std::vector<std::string> ignore_files;
  bool default_schemas = true;
};

using ToolConfig = core::Knowledge;

/// core::load_knowledge from these options and the environment.
core::Result<ToolConfig> load_tool_config(const DataOptions& options);

/// --schema, --wrappers, --ignore: the data files every analysing command accepts.
void add_data_options(CLI::App& command, DataOptions& options);
/// Where the shipped data files are: $TRIAGE_DATA_DIR, else the source tree's triage/data.
std::string data_dir();

}  // namespace triage::cli
