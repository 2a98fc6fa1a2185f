#include "ground_truth.hpp"

#include <filesystem>
#include <map>
#include <stdexcept>

#include <toml++/toml.h>

namespace triage::testing {

std::vector<GroundTruthRow> load_ground_truth(const std::string& artifacts_dir) {
  namespace fs = std::filesystem;
  const fs::path truth = fs::path(artifacts_dir) / "ground_truth.toml";
  std::error_code ec;
  if (!fs::exists(truth, ec)) {
    return {};
  }
  struct Bug {
    std::string kind;
    std::string function;
  };
  std::map<std::string, Bug> bugs;
  const auto planted = toml::parse_file((fs::path(artifacts_dir).parent_path() / "fuzz_targets" / "planted_bugs.toml").string());
  if (const auto* list = planted["bug"].as_array()) {
    for (const auto& b : *list) {
      const auto& t = *b.as_table();
      bugs[t["id"].value_or(std::string())] = {t["kind"].value_or(std::string()), t["function"].value_or(std::string())};
    }
  }
  std::vector<GroundTruthRow> rows;
  const auto data = toml::parse_file(truth.string());
  if (const auto* list = data["artifact"].as_array()) {
    for (const auto& a : *list) {
      const auto& t = *a.as_table();
      GroundTruthRow row{t["path"].value_or(std::string()), t["target"].value_or(std::string()),
                         t["bug"].value_or(std::string()), "", "", t["bytes"].value_or(uint64_t{0})};
      const auto bug = bugs.find(row.bug);
      if (bug == bugs.end()) {
        throw std::runtime_error(truth.string() + ": " + row.artifact + " names no planted bug: " + row.bug);
      }
      row.kind = bug->second.kind;
      row.function = bug->second.function;
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

std::string replay_binary_for(const std::string& target) {
  return "replay_" + (target.starts_with("fuzz_") ? target.substr(5) : target);
}

std::string test_name(const GroundTruthRow& row) {
  std::string name = row.bug + "_" + row.artifact;
  for (auto& ch : name) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) {
      ch = '_';
    }
  }
  return name.substr(0, 80);
}

}  // namespace triage::testing
