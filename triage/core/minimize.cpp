#include "triage/core/minimize.hpp"

namespace triage::core {

MinimizeResult minimize_input(std::string input, const std::function<bool(const std::string&)>& same_bucket,
                              const MinimizeLimits& limits) {
  MinimizeResult r;
  const auto deadline = std::chrono::steady_clock::now() + limits.max_time;
  const auto may_check = [&] {
    if (r.checks >= limits.max_checks || std::chrono::steady_clock::now() >= deadline) {
      r.limited = true;
      return false;
    }
    ++r.checks;
    return true;
  };
  // Block deletion, blocks halving from half the input to one byte; repeated while a pass shrinks it.
  for (bool shrunk = true; shrunk && !r.limited;) {
    shrunk = false;
    for (size_t block = std::max<size_t>(input.size() / 2, 1); block >= 1 && !r.limited; block /= 2) {
      for (size_t at = 0; at < input.size() && !r.limited;) {
        std::string candidate = input;
        candidate.erase(at, block);
        if (!candidate.empty() && may_check() && same_bucket(candidate)) {
          input = std::move(candidate);
          shrunk = true;  // the same offset now holds the next block
        } else {
          at += block;
        }
      }
      if (block == 1) {
        break;
      }
    }
  }
  // Byte normalization: a byte the bucket does not depend on becomes '0' (easier to read and diff).
  for (size_t i = 0; i < input.size() && !r.limited; ++i) {
    if (input[i] == '0') {
      continue;
    }
    std::string candidate = input;
    candidate[i] = '0';
    if (may_check() && same_bucket(candidate)) {
      input = std::move(candidate);
    }
  }
  r.input = std::move(input);
  return r;
}

}  // namespace triage::core
