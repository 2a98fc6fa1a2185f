#include "triage/campaign/worker_cpu.hpp"

#include <sched.h>

#include <algorithm>

namespace triage::campaign {

std::vector<int> allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (::sched_getaffinity(0, sizeof set, &set) != 0) {
    return cpus;
  }
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) {
      cpus.push_back(cpu);
    }
  }
  return cpus;
}

std::optional<int> choose_cpu(const std::vector<int>& allowed, const std::vector<int>& in_use) {
  if (allowed.size() < 2) {
    return std::nullopt;
  }
  auto load = [&](int cpu) { return std::count(in_use.begin(), in_use.end(), cpu); };
  return *std::min_element(allowed.begin(), allowed.end(), [&](int a, int b) {
    const auto la = load(a);
    const auto lb = load(b);
    return la != lb ? la < lb : a < b;
  });
}

bool pin_to_cpu(int cpu) {
  if (cpu < 0 || cpu >= CPU_SETSIZE) {
    return false;
  }
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return ::sched_setaffinity(0, sizeof set, &set) == 0;
}

}  // namespace triage::campaign
