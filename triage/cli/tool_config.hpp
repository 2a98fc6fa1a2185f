#pragma once
// The knowledge triage runs with: register schemas, wrapper rules and frame ignore lists, from the
// shipped data directory, the build's device schemas, $TRIAGE_SCHEMA_PATH and the user's files.
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "triage/core/error.hpp"
#include "triage/core/frame_filter.hpp"
#include "triage/core/register_schema.hpp"
#include "triage/core/wrapper_rules.hpp"

namespace triage::cli {

struct DataOptions {
  std::vector<std::string> schema_files;
  std::vector<std::string> wrapper_files;
  std::vector<std::string> ignore_files;
  bool default_schemas = true;
};

struct ToolConfig {
  core::SchemaSet schemas;
  core::WrapperRules wrappers;
  core::IgnoreList ignore;
};

core::Result<ToolConfig> load_tool_config(const DataOptions& options);

/// --schema, --wrappers, --ignore: the data files every analysing command accepts.
void add_data_options(CLI::App& command, DataOptions& options);
/// Where the shipped data files are: $TRIAGE_DATA_DIR, else the source tree's triage/data.
std::string data_dir();

}  // namespace triage::cli
