#include "triage/debugger/watchdog.hpp"

#include <signal.h>

namespace triage::debugger {

namespace {
constexpr std::chrono::seconds k_kill_grace{5};
}

Watchdog::Watchdog(lldb::SBProcess process, std::chrono::milliseconds limit)
    : m_process(std::move(process)),
      m_limit(limit),
      m_pid(static_cast<pid_t>(m_process.GetProcessID())),
      m_thread([this] { run(); }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard<std::mutex> lock(m_mutex);
    m_done = true;
  }
  m_cv.notify_all();
  m_thread.join();
}

void Watchdog::run() {
  std::unique_lock<std::mutex> lock(m_mutex);
  if (m_cv.wait_for(lock, m_limit, [this] { return m_done; })) {
    return;
  }
  m_fired = true;
  m_process.SendAsyncInterrupt();
  if (m_cv.wait_for(lock, k_kill_grace, [this] { return m_done; })) {
    return;
  }
  if (m_pid > 0) {
    ::kill(m_pid, SIGKILL);
  }
}

}  // namespace triage::debugger
