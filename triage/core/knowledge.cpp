#include "triage/core/knowledge.hpp"

#include <filesystem>

namespace triage::core {

namespace fs = std::filesystem;

Result<Knowledge> load_knowledge(const KnowledgeSources& sources) {
  Knowledge k;
  const fs::path data = sources.data_dir;
  // The user's schemas go first: they win lookups.
  for (const auto& f : sources.schema_files) {
    k.schemas.add(TRIAGE_TRY(load_device_schema(f)));
  }
  if (sources.default_schemas) {
    std::vector<fs::path> dirs{data / "schemas"};
    dirs.insert(dirs.end(), sources.schema_dirs.begin(), sources.schema_dirs.end());
    for (const auto& d : dirs) {
      std::error_code ec;
      if (d.empty() || !fs::is_directory(d, ec)) {
        continue;
      }
      for (auto& s : TRIAGE_TRY(load_schema_dir(d))) {
        k.schemas.add(std::move(s));
      }
    }
  }
  k.wrappers = TRIAGE_TRY(load_wrapper_rules(data / "wrappers.toml"));
  for (auto it = sources.wrapper_files.rbegin(); it != sources.wrapper_files.rend(); ++it) {
    k.wrappers.prepend(TRIAGE_TRY(load_wrapper_rules(*it)));
  }
  k.ignore = TRIAGE_TRY(load_ignore_list(data / "ignore_frames.toml"));
  for (const auto& f : sources.ignore_files) {
    merge_into(k.ignore, TRIAGE_TRY(load_ignore_list(f)));
  }
  return k;
}

}  // namespace triage::core
