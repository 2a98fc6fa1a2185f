#include "triage/campaign/task_choice.hpp"

namespace triage::campaign {

size_t choose_task(const std::deque<size_t>& pending, const std::vector<ArtifactTask>& tasks,
                   const std::set<std::string>& mine, const std::set<std::string>& others) {
  std::optional<size_t> unclaimed;
  for (size_t i = 0; i < pending.size(); ++i) {
    const std::string& binary = tasks[pending[i]].binary;
    if (mine.contains(binary)) {
      return i;
    }
    if (!unclaimed && !others.contains(binary)) {
      unclaimed = i;
    }
  }
  return unclaimed.value_or(0);
}

}  // namespace triage::campaign
