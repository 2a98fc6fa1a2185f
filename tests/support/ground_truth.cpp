#include "ground_truth.hpp"

#include <fstream>
#include <sstream>

namespace triage::testing {
namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '`')) {
    s.erase(0, 1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '`')) {
    s.pop_back();
  }
  return s;
}

std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream ss(line);
  std::string cell;
  std::getline(ss, cell, '|');  // before the first '|'
  while (std::getline(ss, cell, '|')) {
    out.push_back(trim(cell));
  }
  if (!out.empty() && out.back().empty()) {
    out.pop_back();
  }
  return out;
}

}  // namespace

std::vector<GroundTruthRow> load_ground_truth(const std::string& readme_path) {
  std::ifstream in(readme_path);
  std::vector<GroundTruthRow> rows;
  std::string line;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (line.starts_with("| artifact | target | bug |")) {
      in_table = true;
      continue;
    }
    if (!in_table) {
      continue;
    }
    if (!line.starts_with("|")) {
      if (!rows.empty()) {
        break;
      }
      continue;
    }
    const auto c = cells(line);
    if (c.size() < 6 || c[0].starts_with("---")) {
      continue;
    }
    rows.push_back({c[0], c[1], c[2], c[3], c[4], std::stoull(c[5])});
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
