#include "triage/campaign/worker_pool.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <deque>
#include <fstream>
#include <optional>
#include <set>
#include <thread>

#include <fmt/format.h>

#include "triage/campaign/child_cleanup.hpp"
#include "triage/campaign/task_choice.hpp"
#include "triage/campaign/worker_cpu.hpp"
#include "triage/core/report.hpp"
#include "triage/core/utf8.hpp"
#include "triage/emit/emitters.hpp"
#include "triage/emit/escape.hpp"

namespace triage::campaign {
namespace {

using Clock = std::chrono::steady_clock;
constexpr uint64_t k_worker_bytes = 400ull * 1024 * 1024;

struct Worker {
  pid_t pid = -1;
  int to_worker = -1;
  int from_worker = -1;
  std::string buffer;
  std::optional<size_t> task;
  Clock::time_point started;
  unsigned completed = 0;  ///< results this worker delivered
  std::set<std::string> binaries;  ///< it has a debugger target for each (see choose_task)
  std::optional<int> cpu;          ///< pinned there with its lldb-server and targets (worker_cpu.hpp)
};

std::optional<Worker> spawn(const WorkerConfig& config, const std::vector<Worker>& others,
                            std::optional<int> cpu) {
  int to_child[2];
  int from_child[2];
  // Close-on-exec: the worker uses them without exec, and nothing it execs (its lldb-server zygote,
  // native runs) may hold them open after it dies (the pool would not see the end of file).
  if (pipe2(to_child, O_CLOEXEC) != 0) {
    return std::nullopt;
  }
  if (pipe2(from_child, O_CLOEXEC) != 0) {
    close(to_child[0]);
    close(to_child[1]);
    return std::nullopt;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    return std::nullopt;
  }
  if (pid == 0) {
    close(to_child[1]);
    close(from_child[0]);
    for (const auto& w : others) {
      close(w.to_worker);
      close(w.from_worker);
    }
    install_child_cleanup();
    if (cpu) {
      pin_to_cpu(*cpu);  // before LLDB and the zygote start: they and every target inherit it
    }
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    _exit(run_worker(to_child[0], from_child[1], config));
  }
  close(to_child[0]);
  close(from_child[1]);
  Worker w;
  w.pid = pid;
  w.cpu = cpu;
  w.to_worker = to_child[1];
  w.from_worker = from_child[0];
  return w;
}

void stop_worker(Worker& w) {
  if (w.pid <= 0) {
    return;
  }
  close(w.to_worker);
  close(w.from_worker);
  // SIGTERM lets the worker kill its lldb-server and inferior (child_cleanup); SIGKILL if it lingers.
  kill(w.pid, SIGTERM);
  int status = 0;
  for (int i = 0; i < 200; ++i) {
    if (waitpid(w.pid, &status, WNOHANG) == w.pid) {
      w.pid = -1;
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  kill(w.pid, SIGKILL);
  waitpid(w.pid, &status, 0);
  w.pid = -1;
}

bool send_task(Worker& w, size_t index, const ArtifactTask& t, uint32_t timeout) {
  // Paths are bytes (a file name need not be UTF-8): sent losslessly (worker.hpp).
  const nlohmann::json j{{"id", index},
                         {"binary", core::bytes_to_utf8(t.binary)},
                         {"artifact", core::bytes_to_utf8(t.path)},
                         {"target", core::bytes_to_utf8(t.target)},
                         {"timeout", timeout}};
  const std::string line = j.dump() + "\n";
  if (::write(w.to_worker, line.data(), line.size()) != static_cast<ssize_t>(line.size())) {
    return false;
  }
  w.task = index;
  w.started = Clock::now();
  return true;
}

TaskResult error_result(const ArtifactTask& t, const std::string& message) {
  const core::Report r = core::error_report(t.binary, core::ArtifactInfo{t.path, "", 0}, message);
  return TaskResult{&t, emit::json_text(emit::to_json(r), -1), core::record_from_report(r, t.target)};
}

/// A result after `quiet` runs that did not crash: flaky when it crashed now, else no-repro after all runs.
void note_retries(TaskResult& r, unsigned quiet) {
  r.record.runs = quiet + 1;
  if (r.record.result == core::ResultKind::crash) {
    r.record.flaky = true;
    r.record.crashing_runs = 1;
  }
  auto report = nlohmann::json::parse(r.report_text, nullptr, false);
  if (report.is_object()) {
    report["runs"] = r.record.runs;
    report["flaky"] = r.record.flaky;
    r.report_text = emit::json_text(report, -1);
  }
}

}  // namespace

unsigned default_jobs() {
  unsigned cores = std::max(1u, std::thread::hardware_concurrency());
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  uint64_t kb = 0;
  std::string unit;
  while (meminfo >> key >> kb >> unit) {
    if (key == "MemAvailable:") {
      const uint64_t by_memory = std::max<uint64_t>(1, kb * 1024 / k_worker_bytes);
      return static_cast<unsigned>(std::min<uint64_t>(cores, by_memory));
    }
  }
  return cores;
}

PoolStats run_pool(const std::vector<ArtifactTask>& tasks, const WorkerConfig& config, const PoolOptions& options,
                   const std::function<void(const TaskResult&)>& on_result,
                   const std::function<void(const PoolStats&)>& on_progress, const std::atomic<bool>* stop) {
  PoolStats stats;
  stats.total = tasks.size();
  std::deque<size_t> pending;
  for (size_t i = 0; i < tasks.size(); ++i) {
    pending.push_back(i);
  }
  std::vector<unsigned> attempts(tasks.size(), 0);
  std::vector<unsigned> quiet_runs(tasks.size(), 0);  ///< runs that ended without a crash
  std::vector<Worker> workers;
  const unsigned jobs = std::max(1u, std::min<unsigned>(options.jobs, static_cast<unsigned>(tasks.size())));
  const auto deadline = std::chrono::seconds(config.timeout_seconds + options.slack_seconds);
  signal(SIGPIPE, SIG_IGN);
  const std::vector<int> cpus = options.pin_workers ? allowed_cpus() : std::vector<int>{};

  auto worker_died = [&](Worker& w, const std::string& why) {
    ++stats.worker_deaths;
    if (w.task) {
      const size_t t = *w.task;
      if (++attempts[t] <= options.retries) {
        pending.push_front(t);
      } else {
        on_result(error_result(tasks[t], fmt::format("{} (after {} attempts)", why, attempts[t])));
        ++stats.done;
        on_progress(stats);
      }
      w.task.reset();
    }
    stop_worker(w);
  };

  while (stats.done < stats.total && !(stop != nullptr && stop->load())) {
    // Keep `jobs` live workers, each with a task.
    std::erase_if(workers, [](const Worker& w) { return w.pid <= 0; });
    while (workers.size() < jobs && !pending.empty()) {
      std::vector<int> in_use;
      for (const auto& o : workers) {
        if (o.cpu) {
          in_use.push_back(*o.cpu);
        }
      }
      auto w = spawn(config, workers, choose_cpu(cpus, in_use));
      if (!w) {
        break;
      }
      workers.push_back(std::move(*w));
    }
    for (auto& w : workers) {
      if (!w.task && !pending.empty()) {
        std::set<std::string> others;
        for (const auto& o : workers) {
          if (&o != &w) {
            others.insert(o.binaries.begin(), o.binaries.end());
          }
        }
        const size_t at = choose_task(pending, tasks, w.binaries, others);
        const size_t t = pending[at];
        pending.erase(pending.begin() + static_cast<std::ptrdiff_t>(at));
        w.binaries.insert(tasks[t].binary);
        if (!send_task(w, t, tasks[t], config.timeout_seconds)) {
          w.task = t;
          worker_died(w, "worker stopped accepting work");
        }
      }
    }
    std::vector<pollfd> fds;
    for (const auto& w : workers) {
      fds.push_back({w.from_worker, POLLIN, 0});
    }
    if (fds.empty()) {
      break;
    }
    poll(fds.data(), fds.size(), 200);
    for (size_t i = 0; i < workers.size(); ++i) {
      Worker& w = workers[i];
      if (w.pid <= 0) {
        continue;
      }
      if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
        char buf[65536];
        const ssize_t n = ::read(w.from_worker, buf, sizeof buf);
        if (n <= 0) {
          worker_died(w, "the worker process died while triaging this artifact");
          continue;
        }
        w.buffer.append(buf, static_cast<size_t>(n));
        // Each result is two lines (worker.hpp): a header, then the report text, kept as it is.
        for (;;) {
          const size_t end_header = w.buffer.find('\n');
          const size_t end_report =
              end_header == std::string::npos ? end_header : w.buffer.find('\n', end_header + 1);
          if (end_report == std::string::npos) {
            break;
          }
          const auto j =
              nlohmann::json::parse(std::string_view(w.buffer).substr(0, end_header), nullptr, false);
          std::string report_text = w.buffer.substr(end_header + 1, end_report - end_header - 1);
          w.buffer.erase(0, end_report + 1);
          if (j.is_discarded() || !j.contains("id") || !w.task || j["id"].get<size_t>() != *w.task) {
            continue;
          }
          const size_t t = *w.task;
          w.task.reset();
          TaskResult r;
          try {
            r = TaskResult{&tasks[t], std::move(report_text), core::record_from_json(j["record"], "")};
          } catch (const nlohmann::json::exception& e) {
            r = error_result(tasks[t], std::string("the worker's result is unreadable: ") + e.what());
          }
          r.record.artifact = tasks[t].path;
          if (r.record.result == core::ResultKind::no_repro && quiet_runs[t] < options.no_repro_retries) {
            ++quiet_runs[t];
            pending.push_back(t);  // after the first runs of everything else
            continue;
          }
          if (quiet_runs[t] > 0) {
            note_retries(r, quiet_runs[t]);
          }
          on_result(r);
          ++stats.done;
          on_progress(stats);
        }
        // Keep time and memory per artifact flat: retire a worker after its quota (a fresh one is
        // spawned at the top of the loop).
        if (!w.task && options.restart_worker_every != 0 && ++w.completed >= options.restart_worker_every) {
          ++stats.worker_restarts;
          stop_worker(w);
          continue;
        }
      }
      if (w.task && Clock::now() - w.started > deadline) {
        worker_died(w, fmt::format("no result within {} s: the worker was killed", deadline.count()));
      }
    }
  }
  for (auto& w : workers) {
    stop_worker(w);
  }
  return stats;
}

}  // namespace triage::campaign
