#pragma once
// Which CPU a bulk worker runs on. A worker is a chain of three processes that take turns (the engine
// asks lldb-server, lldb-server drives the target, the answer comes back), about a hundred hand-offs
// per artifact. Left to the scheduler, a hand-off often wakes the next process on another core and the
// first one idles meanwhile: with 2 workers on 2 cores ~17% of the CPU time was idle. A worker pinned
// to one core, its lldb-server and target with it (they inherit the affinity), keeps every hand-off on
// that core: idle 1.3 -> 0.2 s, bulk wall time -18% on the shipped artifacts. AFL++ binds each fuzzer
// instance, target included, to a free core for the same reason.
#include <optional>
#include <vector>

namespace triage::campaign {

/// The CPUs this process may run on (sched_getaffinity), in increasing order; empty if unknown.
std::vector<int> allowed_cpus();

/// The CPU for a new worker: of `allowed`, the one with the fewest live workers on it (`in_use`, one
/// entry per live worker), the lowest on a tie, so a replacement takes the CPU its predecessor left
/// and more workers than CPUs share them evenly. nullopt when there is nothing to choose (fewer than
/// two CPUs).
std::optional<int> choose_cpu(const std::vector<int>& allowed, const std::vector<int>& in_use);

/// Pins the calling process (and what it starts from now on) to `cpu`. False if the kernel refused.
bool pin_to_cpu(int cpu);

}  // namespace triage::campaign
