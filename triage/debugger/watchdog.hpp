#pragma once
// Interrupts a debugged run that takes too long: SendAsyncInterrupt after the limit (the stop then
// shows where it spins), SIGKILL to the inferior if even that does not stop it.
#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <lldb/API/SBProcess.h>

namespace triage::debugger {

class Watchdog {
 public:
  Watchdog(lldb::SBProcess process, std::chrono::milliseconds limit);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  bool fired() const { return m_fired.load(); }

 private:
  void run();

  lldb::SBProcess m_process;
  std::chrono::milliseconds m_limit;
  pid_t m_pid;
  std::mutex m_mutex;
  std::condition_variable m_cv;
  bool m_done = false;
  std::atomic<bool> m_fired{false};
  std::thread m_thread;
};

}  // namespace triage::debugger
