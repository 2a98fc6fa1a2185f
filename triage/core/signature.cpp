#include "triage/core/signature.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <openssl/sha.h>

namespace triage::core {
namespace {

constexpr size_t k_max_cycle = 8;
/// A cycle of two or more functions counts as recursion from three repetitions (consecutive frames of
/// one function are merged first: f, f, g and f, g, h are one bug).
constexpr size_t k_min_repeats = 3;

/// Finds a cycle of length p starting at `start` repeated at least k_min_repeats times (or until the
/// end of a truncated stack). Returns the cycle length, or 0.
size_t cycle_at(const std::vector<std::string>& n, size_t start) {
  for (size_t p = 1; p <= k_max_cycle && start + p <= n.size(); ++p) {
    size_t reps = 1;
    size_t i = start + p;
    while (i + p <= n.size() && std::equal(n.begin() + start, n.begin() + start + p, n.begin() + i)) {
      ++reps;
      i += p;
    }
    if (reps >= k_min_repeats) {
      return p;
    }
  }
  return 0;
}

}  // namespace

std::vector<std::string> collapse_recursion(const std::vector<std::string>& all_names, bool* collapsed) {
  // Consecutive frames of one function are one frame: a direct recursion, or a function inlined
  // into a call of itself.
  std::vector<std::string> names;
  names.reserve(all_names.size());
  for (const auto& n : all_names) {
    if (names.empty() || names.back() != n) {
      names.push_back(n);
    }
  }
  std::vector<std::string> out;
  bool any = names.size() != all_names.size();
  size_t i = 0;
  while (i < names.size()) {
    const size_t p = cycle_at(names, i);
    if (p == 0) {
      out.push_back(names[i]);
      ++i;
      continue;
    }
    any = true;
    std::vector<std::string> cycle(names.begin() + i, names.begin() + i + p);
    std::rotate(cycle.begin(), std::min_element(cycle.begin(), cycle.end()), cycle.end());
    // Frames above the first full cycle that belong to it (a partial cycle where the overflow hit)
    // are dropped too: remove trailing out entries that are members of the cycle.
    while (!out.empty() && std::find(cycle.begin(), cycle.end(), out.back()) != cycle.end()) {
      out.pop_back();
    }
    out.insert(out.end(), cycle.begin(), cycle.end());
    // Skip every repetition, and the partial cycle at the bottom.
    size_t j = i;
    while (j < names.size() && std::find(cycle.begin(), cycle.end(), names[j]) != cycle.end()) {
      ++j;
    }
    i = j;
  }
  if (collapsed != nullptr) {
    *collapsed = any;
  }
  return out;
}

std::string sha1_hex(std::string_view bytes) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  std::string out;
  out.reserve(2 * SHA_DIGEST_LENGTH);
  for (unsigned char c : digest) {
    out += fmt::format("{:02x}", c);
  }
  return out;
}

Signature make_signature(std::string_view kind, const FilteredStack& stack, std::string_view location,
                         size_t top_n) {
  Signature sig;
  sig.kind = std::string(kind);
  sig.location = std::string(location);
  std::vector<std::string> surviving;
  for (const auto& f : stack.frames) {
    if (!f.ignored && !f.normalized.empty()) {
      surviving.push_back(f.normalized);
    }
  }
  if (surviving.empty()) {
    // Nothing survived but the harness: its own frames sign the crash (an assert in the harness).
    for (const auto& f : stack.frames) {
      if (f.blame_when_alone && !f.normalized.empty()) {
        surviving.push_back(f.normalized);
      }
    }
  }
  if (surviving.empty()) {
    // Nothing survived the ignore lists (a crash inside the runtime itself): fall back to the raw top.
    for (const auto& f : stack.frames) {
      if (!f.normalized.empty()) {
        surviving.push_back(f.normalized);
      }
    }
  }
  auto collapsed = collapse_recursion(surviving, &sig.recursion_collapsed);
  if (collapsed.size() > top_n) {
    collapsed.resize(top_n);
  }
  sig.frames = std::move(collapsed);
  std::string key = fmt::format("v{}\n{}\n", k_signature_version, sig.kind);
  for (const auto& f : sig.frames) {
    key += f + "\n";
  }
  key += sig.location;
  sig.id = fmt::format("v{}-{}", k_signature_version, sha1_hex(key).substr(0, 16));
  return sig;
}

}  // namespace triage::core
