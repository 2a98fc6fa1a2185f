#pragma once
// Which pending artifact a free worker takes next. A worker keeps one debugger target per binary it
// has run (creating one costs 15-30 ms and ~10 MB), so it stays on binaries it already has, and
// otherwise starts on one no other worker has: each binary's target is then created about once per
// campaign instead of once per worker.
#include <cstddef>
#include <deque>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "triage/campaign/discovery.hpp"

namespace triage::campaign {

/// The position in `pending` (task indexes, oldest first) of the task to give a worker that has
/// targets for `mine` while the other workers have `others`: the oldest task for one of `mine`,
/// else the oldest for a binary nobody has, else the oldest. `pending` must not be empty.
size_t choose_task(const std::deque<size_t>& pending, const std::vector<ArtifactTask>& tasks,
                   const std::set<std::string>& mine, const std::set<std::string>& others);

}  // namespace triage::campaign
