#pragma once
// Shrinking a crash input without leaving its bucket. The check is the caller's (a replay and its
// signature): an input is kept only when it lands in the same bucket, never merely "still crashes" —
// libFuzzer's -minimize_crash checks a DEDUP_TOKEN made of its own handler frames, the same for every
// abort and every Rust panic, and slides from one bug to another. The reduction is AFL tmin's: remove
// blocks (halving their size down to one byte, again while it helps), then normalize each byte to
// '0' where the bucket allows it.
#include <chrono>
#include <functional>
#include <string>

namespace triage::core {

struct MinimizeLimits {
  size_t max_checks = 5000;
  std::chrono::milliseconds max_time{std::chrono::minutes(5)};
};

struct MinimizeResult {
  std::string input;     ///< the smallest input found that stays in the bucket
  size_t checks = 0;     ///< candidates tried
  bool limited = false;  ///< a limit ended it before a pass made no progress
};

/// `same_bucket(candidate)` says whether a candidate lands in the original's bucket.
MinimizeResult minimize_input(std::string input, const std::function<bool(const std::string&)>& same_bucket,
                              const MinimizeLimits& limits = {});

}  // namespace triage::core
