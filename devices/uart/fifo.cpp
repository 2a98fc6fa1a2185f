#include "devices/uart/fifo.hpp"

namespace devices::uart {

void Fifo::reallocate(uint8_t capacity) {
  m_capacity = capacity == 0 ? 1 : capacity;
  m_storage = std::make_unique<uint8_t[]>(m_capacity);
  clear();
}

}  // namespace devices::uart
