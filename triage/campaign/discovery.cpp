#include "triage/campaign/discovery.hpp"

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "triage/core/glob.hpp"
#include "triage/core/signature.hpp"
#include "triage/core/toml_util.hpp"

namespace triage::campaign {

namespace fs = std::filesystem;

namespace {

/// What libFuzzer calls the artifacts it writes (Fuzzer::DumpCurrentUnit and the minimizer).
constexpr std::array<std::string_view, 5> k_artifact_kinds{"crash-", "leak-", "timeout-", "oom-", "slow-unit-"};
constexpr std::string_view k_minimized = "minimized-from-";

bool is_hex_hash(std::string_view s) {
  return s.size() >= 8 && s.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

bool executable_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && access(p.c_str(), X_OK) == 0;
}

}  // namespace

bool is_timeout_artifact_name(std::string_view name) {
  static_assert(k_artifact_kinds[2] == "timeout-");
  return name.starts_with(k_artifact_kinds[2]);
}

bool is_libfuzzer_artifact_name(std::string_view name) {
  // The kind first (libFuzzer's hash after it, or a name a user gave the artifact).
  if (name.starts_with(k_minimized)) {
    return name.size() > k_minimized.size();
  }
  for (std::string_view kind : k_artifact_kinds) {
    if (name.starts_with(kind) && name.size() > kind.size()) {
      return true;
    }
  }
  // After an -artifact_prefix that is not a directory (`ide-crash-<sha1>`): then the hash must follow.
  for (std::string_view kind : k_artifact_kinds) {
    for (size_t at = name.find(kind); at != std::string_view::npos; at = name.find(kind, at + 1)) {
      if (at > 0 && !std::isalnum(static_cast<unsigned char>(name[at - 1])) && is_hex_hash(name.substr(at + kind.size()))) {
        return true;
      }
    }
  }
  return false;
}

bool is_artifact_candidate(const std::string& name, const NameFilter& filter) {
  const auto matches = [&](const std::vector<std::string>& globs) {
    return std::any_of(globs.begin(), globs.end(), [&](const std::string& g) { return core::glob_match(g, name); });
  };
  if (name.empty() || matches(filter.exclude)) {
    return false;
  }
  return matches(filter.include) || (!name.starts_with('.') && is_libfuzzer_artifact_name(name));
}

std::string find_cargo_fuzz_binary(const std::string& artifact, const std::string& target, const std::string& profile) {
  std::error_code ec;
  const fs::path dir = fs::absolute(artifact, ec).lexically_normal().parent_path();  // .../artifacts/<target>
  if (dir.filename() != target || dir.parent_path().filename() != "artifacts") {
    return {};
  }
  const fs::path fuzz_dir = dir.parent_path().parent_path();  // <crate>/fuzz
  // cargo-fuzz builds into <crate>/fuzz/target unless the fuzz crate is a workspace member: then the
  // workspace's target/ above it.
  for (fs::path up = fuzz_dir; !up.empty(); up = up.parent_path()) {
    const fs::path cargo_target = up / "target";
    std::vector<fs::path> triples;
    for (fs::directory_iterator it(cargo_target, ec), end; !ec && it != end; it.increment(ec)) {
      triples.push_back(it->path());
    }
    std::sort(triples.begin(), triples.end());
    for (const auto& triple : triples) {
      if (const fs::path candidate = triple / profile / target; executable_file(candidate)) {
        return candidate.string();
      }
    }
    if (up == up.parent_path()) {
      break;
    }
  }
  return {};
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

Discovery discover(const std::vector<std::string>& roots, const BinaryMap& binaries, const NameFilter& filter) {
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
      // Hidden directories, and build caches (cargo's target/ holds CACHEDIR.TAG, and the binaries).
      if (it->is_directory() &&
          (it->path().filename().string().starts_with('.') || fs::exists(it->path() / "CACHEDIR.TAG", ec))) {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file()) {
        if (is_artifact_candidate(it->path().filename().string(), filter)) {
          files.push_back(it->path());
        } else {
          ++d.skipped;
        }
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
    } else {
      const std::string dir = fs::absolute(f, ec).lexically_normal().parent_path().string();
      if (const auto cached = d.found.find(dir); cached != d.found.end()) {
        binary = cached->second;
      } else if (auto cargo = find_cargo_fuzz_binary(f.string(), target, binaries.cargo_profile); !cargo.empty()) {
        binary = d.found[dir] = std::move(cargo);
      }
    }
    if (binary.empty()) {
      d.unmapped.push_back({f.string(), "no --bin-dir or mapping for target '" + target + "', and no cargo-fuzz build of it"});
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

core::Result<ShardSpec> parse_shard(std::string_view text) {
  const auto bad = [&](std::string_view why) {
    return core::make_error(core::ErrorCode::usage,
                            fmt::format("--shard '{}': {} (K/N, 1 <= K <= N <= {})", text, why, k_max_shards));
  };
  const auto number = [](std::string_view digits) -> std::optional<unsigned> {
    if (digits.empty() || digits.size() > 9 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    return static_cast<unsigned>(std::stoul(std::string(digits)));
  };
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) {
    return bad("no '/'");
  }
  const auto k = number(text.substr(0, slash));
  const auto n = number(text.substr(slash + 1));
  if (!k || !n) {
    return bad("K and N are decimal numbers");
  }
  if (*n == 0 || *n > k_max_shards) {
    return bad("N out of range");
  }
  if (*k == 0 || *k > *n) {
    return bad("K out of range");
  }
  return ShardSpec{*k, *n};
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
