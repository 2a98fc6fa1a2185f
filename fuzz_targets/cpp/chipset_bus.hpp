#pragma once
// A PC-style port I/O bus for the chipset harness: each device claims its port ranges, accesses
// are dispatched by the port they start at, unclaimed ports float high, and reset and tick reach
// every device. Devices stay owned as shared_ptr<CloseableMutex<Device>> and are locked per access,
// as a VMM's chipset dispatch would.
#include "devices/common/closeable_mutex.hpp"
#include "devices/common/io_device.hpp"

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace fuzz_targets {

class ChipsetBus {
 public:
  template <class Device>
  void attach(std::shared_ptr<devices::CloseableMutex<Device>> device) {
    m_slots.push_back(std::make_unique<LockedSlot<Device>>(std::move(device)));
  }

  uint32_t read(uint16_t port, devices::AccessWidth width) {
    Slot* slot = owner_of(port);
    return slot != nullptr ? slot->read(port, width) : devices::mask_to_width(0xffffffff, width);
  }

  void write(uint16_t port, devices::AccessWidth width, uint32_t value) {
    if (Slot* slot = owner_of(port)) {
      slot->write(port, width, value);
    }
  }

  void reset_all() {
    for (const auto& slot : m_slots) {
      slot->reset();
    }
  }

  void tick_all(uint64_t ticks) {
    for (const auto& slot : m_slots) {
      slot->tick(ticks);
    }
  }

 private:
  /// Type-erased access to one locked device.
  class Slot {
   public:
    virtual ~Slot() = default;
    virtual bool claims(uint16_t port) = 0;
    virtual uint32_t read(uint16_t port, devices::AccessWidth width) = 0;
    virtual void write(uint16_t port, devices::AccessWidth width, uint32_t value) = 0;
    virtual void reset() = 0;
    virtual void tick(uint64_t ticks) = 0;
  };

  template <class Device>
  class LockedSlot final : public Slot {
   public:
    explicit LockedSlot(std::shared_ptr<devices::CloseableMutex<Device>> device)
        : m_device(std::move(device)) {}

    bool claims(uint16_t port) override {
      auto device = m_device->lock();
      if (device.get() == nullptr) {
        return false;  // closed devices drop off the bus
      }
      for (const devices::PortRange& range : device->port_ranges()) {
        if (port >= range.base && port - range.base < range.count) {
          return true;
        }
      }
      return false;
    }
    uint32_t read(uint16_t port, devices::AccessWidth width) override {
      auto device = m_device->lock();
      return device.get() != nullptr ? device->io_read(port, width)
                                     : devices::mask_to_width(0xffffffff, width);
    }
    void write(uint16_t port, devices::AccessWidth width, uint32_t value) override {
      if (auto device = m_device->lock(); device.get() != nullptr) {
        device->io_write(port, width, value);
      }
    }
    void reset() override {
      if (auto device = m_device->lock(); device.get() != nullptr) {
        device->reset();
      }
    }
    void tick(uint64_t ticks) override {
      if (auto device = m_device->lock(); device.get() != nullptr) {
        device->tick(ticks);
      }
    }

   private:
    std::shared_ptr<devices::CloseableMutex<Device>> m_device;
  };

  Slot* owner_of(uint16_t port) {
    for (const auto& slot : m_slots) {
      if (slot->claims(port)) {
        return slot.get();
      }
    }
    return nullptr;
  }

  std::vector<std::unique_ptr<Slot>> m_slots;
};

}  // namespace fuzz_targets
