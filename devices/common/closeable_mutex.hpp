#pragma once
// A mutex wrapper in the style of OpenVMM's `CloseableMutex<T>`: the lock, a `closed` flag set when the
// owner shuts the device down, and the value. Devices are owned as
// `std::shared_ptr<CloseableMutex<Device>>`, so triage has to walk through it to reach device state.
#include <mutex>
#include <utility>

namespace devices {

template <class T>
class CloseableMutex {
 public:
  template <class... Args>
  explicit CloseableMutex(Args&&... args) : m_value(std::forward<Args>(args)...) {}

  /// A locked view of the value; `get()` is null once the mutex is closed.
  class Guard {
   public:
    explicit Guard(CloseableMutex& owner) : m_lock(owner.m_lock), m_owner(&owner) {}
    T* get() { return m_owner->m_closed ? nullptr : &m_owner->m_value; }
    T* operator->() { return get(); }
    T& operator*() { return *get(); }

   private:
    std::unique_lock<std::mutex> m_lock;
    CloseableMutex* m_owner;
  };

  Guard lock() { return Guard(*this); }
  void close() {
    std::lock_guard<std::mutex> lock(m_lock);
    m_closed = true;
  }
  bool is_closed() const { return m_closed; }

 private:
  std::mutex m_lock;
  bool m_closed = false;
  T m_value;
};

}  // namespace devices
