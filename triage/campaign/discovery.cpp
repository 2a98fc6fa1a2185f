#include "triage/campaign/discovery.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>

#include "triage/core/signature.hpp"
#include "triage/core/toml_util.hpp"

namespace triage::campaign {

namespace fs = std::filesystem;

namespace {

constexpr std::array<std::string_view, 6> k_prefixes{"crash-", "leak-", "timeout-", "oom-", "slow-unit-",
                                                     "minimized-from-"};
constexpr std::array<std::string_view, 9> k_not_artifacts{".md", ".txt", ".json", ".toml", ".log", ".db",
                                                          ".db-wal", ".db-shm", ".html"};

}  // namespace

bool has_libfuzzer_prefix(const std::string& name) {
  return std::any_of(k_prefixes.begin(), k_prefixes.end(), [&](std::string_view p) { return name.starts_with(p); });
}

bool is_artifact_candidate(const std::string& name) {
  if (name.empty() || name.starts_with('.')) {
    return false;
  }
  if (has_libfuzzer_prefix(name)) {
    return true;
  }
  return std::none_of(k_not_artifacts.begin(), k_not_artifacts.end(), [&](std::string_view s) { return name.ends_with(s); });
}

core::Result<BinaryMap> load_binary_map(const std::string& path, BinaryMap base) {
  const auto text = TRIAGE_TRY(core::toml_util::read_text_file(path));
  const auto root = TRIAGE_TRY(core::toml_util::parse(text, path));
  TRIAGE_TRY(core::toml_util::check_keys(root, {"targets"}, path));
  if (const auto* t = root.get("targets")) {
    if (!t->is_table()) {
      return core::make_error(core::ErrorCode::data_invalid, path + ": 'targets' must be a table of target = \"binary\"");
    }
    for (const auto& [k, v] : *t->as_table()) {
      if (!v.is_string()) {
        return core::make_error(core::ErrorCode::data_invalid, path + ": target '" + std::string(k.str()) + "' must map to a path");
      }
      base.explicit_targets[std::string(k.str())] = std::string(v.as_string()->get());
    }
  }
  return base;
}

Discovery discover(const std::vector<std::string>& roots, const BinaryMap& binaries) {
  Discovery d;
  std::vector<fs::path> files;
  for (const auto& r : roots) {
    std::error_code ec;
    if (fs::is_regular_file(r, ec)) {
      files.emplace_back(r);
      continue;
    }
    if (!fs::is_directory(r, ec)) {
      d.unmapped.push_back({r, "no such file or directory"});
      continue;
    }
    for (auto it = fs::recursive_directory_iterator(r, fs::directory_options::skip_permission_denied, ec);
         it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) {
        break;
      }
      if (it->is_directory() && it->path().filename().string().starts_with('.')) {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file() && is_artifact_candidate(it->path().filename().string())) {
        files.push_back(it->path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  for (const auto& f : files) {
    // The directory's own name, also for "crash-1" or "./crash-1" given from inside it.
    std::error_code ec;
    const std::string target = fs::absolute(f, ec).lexically_normal().parent_path().filename().string();
    std::string binary;
    if (const auto it = binaries.explicit_targets.find(target); it != binaries.explicit_targets.end()) {
      binary = it->second;
    } else if (!binaries.bin_dir.empty()) {
      binary = (fs::path(binaries.bin_dir) / target).string();
    }
    if (binary.empty()) {
      d.unmapped.push_back({f.string(), "no --bin-dir or mapping for target '" + target + "'"});
      continue;
    }
    if (target.empty() || !fs::is_regular_file(binary, ec) || access(binary.c_str(), X_OK) != 0) {
      d.unmapped.push_back({f.string(), "no fuzz binary for target '" + target + "' (looked for " + binary + ")"});
      continue;
    }
    d.tasks.push_back({f.string(), target, binary});
  }
  return d;
}

std::vector<ArtifactTask> shard(const std::vector<ArtifactTask>& tasks, unsigned k, unsigned n) {
  std::vector<ArtifactTask> out;
  for (const auto& t : tasks) {
    const std::string h = core::sha1_hex(t.target + "/" + fs::path(t.path).filename().string());
    const unsigned bucket = static_cast<unsigned>(std::stoul(h.substr(0, 8), nullptr, 16) % n);
    if (bucket == k - 1) {
      out.push_back(t);
    }
  }
  return out;
}

}  // namespace triage::campaign
