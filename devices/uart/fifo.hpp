#pragma once
// A byte ring used for the 16550's receive and transmit FIFOs. Its depth changes with the FIFO
// enable bit (16 bytes in 16550 mode, a single holding register in 16450 mode), which reallocates
// the storage.
//
// The one-line accessors are always inlined and carry no debug info (the idiom of the compiler's
// intrinsic headers and libc++'s hidden helpers): backtraces and debugger steps then stay in the
// UART function that uses the FIFO instead of stopping in a ring-buffer one-liner.
#include <cstdint>
#include <memory>

namespace devices::uart {

class Fifo {
 public:
  explicit Fifo(uint8_t capacity) { reallocate(capacity); }

  [[gnu::always_inline, gnu::nodebug]] bool empty() const { return m_count == 0; }
  [[gnu::always_inline, gnu::nodebug]] bool full() const { return m_count == m_capacity; }
  [[gnu::always_inline, gnu::nodebug]] uint8_t size() const { return m_count; }
  [[gnu::always_inline, gnu::nodebug]] uint8_t capacity() const { return m_capacity; }

  /// Appends a byte; false (and nothing stored) when full.
  [[gnu::always_inline, gnu::nodebug]] bool push(uint8_t byte) {
    if (full()) {
      return false;
    }
    m_storage[(m_head + m_count) % m_capacity] = byte;
    ++m_count;
    return true;
  }

  /// The oldest byte; 0 when empty.
  [[gnu::always_inline, gnu::nodebug]] uint8_t front() const { return empty() ? 0 : m_storage[m_head]; }

  /// Where the oldest byte lives (the head slot when empty). Valid until the next reallocate().
  [[gnu::always_inline, gnu::nodebug]] const uint8_t* front_slot() const { return &m_storage[m_head]; }

  /// Removes the oldest byte; its slot keeps the value until the ring wraps onto it.
  [[gnu::always_inline, gnu::nodebug]] void pop() {
    if (empty()) {
      return;
    }
    m_head = static_cast<uint8_t>((m_head + 1u) % m_capacity);
    --m_count;
  }

  [[gnu::always_inline, gnu::nodebug]] void clear() {
    m_head = 0;
    m_count = 0;
  }

  /// Replaces the storage with a zeroed ring of `capacity` (at least 1) bytes, discarding contents.
  void reallocate(uint8_t capacity);

 private:
  std::unique_ptr<uint8_t[]> m_storage;
  uint8_t m_capacity = 0;
  uint8_t m_head = 0;
  uint8_t m_count = 0;
};

}  // namespace devices::uart
