#pragma once
// The knowledge triage runs with: register schemas, wrapper rules and frame ignore lists, loaded from
// their search path in one place and one order of precedence. The caller says where to look (the
// command line reads $TRIAGE_DATA_DIR and $TRIAGE_SCHEMA_PATH into it); nothing here reads the
// environment.
#include <string>
#include <vector>

#include "triage/core/error.hpp"
#include "triage/core/frame_filter.hpp"
#include "triage/core/register_schema.hpp"
#include "triage/core/wrapper_rules.hpp"

namespace triage::core {

struct Knowledge {
  SchemaSet schemas;
  WrapperRules wrappers;
  IgnoreList ignore;
};

struct KnowledgeSources {
  std::string data_dir;                  ///< the shipped data: schemas/, wrappers.toml, ignore_frames.toml
  std::vector<std::string> schema_dirs;  ///< more schema directories after data_dir/schemas (missing ones skipped)
  bool default_schemas = true;           ///< false: only `schema_files`
  std::vector<std::string> schema_files;   ///< the user's: they win every lookup, first one first
  std::vector<std::string> wrapper_files;  ///< the user's: tried before the shipped rules, first one first
  std::vector<std::string> ignore_files;   ///< the user's: groups added to the shipped list
};

/// Schemas: the user's files, then data_dir/schemas, then schema_dirs in order (a lookup takes the
/// first match). Wrapper rules: the user's files in order, then the shipped ones. Ignore list: the
/// shipped groups plus the user's.
Result<Knowledge> load_knowledge(const KnowledgeSources& sources);

}  // namespace triage::core
