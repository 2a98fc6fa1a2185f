#pragma once
// Crash signatures: the bucket key. Versioned ("v1-..."), built from the crash kind, the normalized
// top N surviving frames (recursion collapsed) and, for panics and asserts, the source location.
// Never a PC or an address, so it is stable across runs, ASLR and rebuilds of the same source.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "triage/core/frame_filter.hpp"

namespace triage::core {

inline constexpr int k_signature_version = 1;
inline constexpr size_t k_default_signature_frames = 3;

struct Signature {
  int version = k_signature_version;
  std::string id;                   ///< "v1-" + 16 hex digits
  std::string kind;                 ///< crash kind id
  std::vector<std::string> frames;  ///< normalized surviving frames used
  std::string location;             ///< "file.rs:72" for panics/asserts, else empty
  bool recursion_collapsed = false;
};

/// Collapses recursion in a list of normalized names: a run of one function (two or more consecutive
/// frames) or of a repeating cycle (up to 8 functions, three or more times) becomes one copy of the cycle, rotated so that it starts at the smallest name
/// (the frame where a stack overflow finally faults is arbitrary; the cycle is not).
std::vector<std::string> collapse_recursion(const std::vector<std::string>& names, bool* collapsed = nullptr);

Signature make_signature(std::string_view kind, const FilteredStack& stack, std::string_view location,
                         size_t top_n = k_default_signature_frames);

/// Hex SHA-1 of a byte string.
std::string sha1_hex(std::string_view bytes);

}  // namespace triage::core
