#pragma once
// A Motorola MC146818-compatible CMOS RTC as found in every PC chipset: index port 0x70 (bit 7 masks
// NMI) and data port 0x71 onto 128 bytes of battery-backed RAM, of which 0x00-0x09 are the clock,
// 0x0A-0x0D the status registers A-D and the rest NVRAM. tick() drives the once-a-second update
// cycle (UIP, UF, alarm AF) and the periodic interrupt (PF).
//
// Split by concept: cmos_rtc.cpp holds port and register access, timekeeping.cpp the update cycle
// and BCD handling, periodic_timer.cpp the periodic interrupt.
#include "devices/common/io_device.hpp"
#include "devices/rtc/calendar.hpp"
#include "devices/rtc/cmos_layout.hpp"
#include "devices/rtc/registers.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>

namespace devices::rtc {

class CmosRtc final : public IoDevice {
 public:
  static constexpr uint16_t k_index_port = 0x70;
  static constexpr uint16_t k_data_port = 0x71;
  static constexpr uint64_t k_ticks_per_second = 1'000'000;
  /// UIP rises this long before each update (MC146818 t_BUC).
  static constexpr uint64_t k_uip_lead_ticks = 244;
  /// Longest stretch of missed update cycles replayed by one tick(); beyond that the clock loses time.
  static constexpr uint64_t k_max_catch_up_cycles = 3600;

  CmosRtc();

  std::string_view name() const override { return "cmos_rtc"; }
  std::span<const PortRange> port_ranges() const override;
  uint32_t io_read(uint16_t port, AccessWidth width) override;
  void io_write(uint16_t port, AccessWidth width, uint32_t value) override;
  /// The chip's RESET pin: clears the interrupt enables and flags, keeps time and NVRAM.
  void reset() override;
  void tick(uint64_t ticks) override;

  bool irq_asserted() const { return (m_reg_c.bits & RegisterC::k_irqf) != 0; }
  bool nmi_disabled() const { return m_index.nmi_disabled(); }

 private:
  uint8_t read_port(uint16_t port);
  void write_port(uint16_t port, uint8_t value);
  uint8_t read_register(uint8_t index);
  void write_register(uint8_t index, uint8_t value);
  uint8_t resolve_alias(uint8_t index);

  // timekeeping.cpp
  bool divider_running() const;
  void run_update_cycle();
  void load_calendar();
  void store_calendar();
  uint8_t decode_time(uint8_t raw, uint8_t reg) const;
  uint8_t encode_time(uint8_t value) const;
  uint8_t from_bcd(uint8_t value, uint8_t reg) const;
  bool alarm_matches() const;
  void update_irq_flag();

  // periodic_timer.cpp
  void rearm_periodic_timer();
  uint64_t periodic_interval_ticks() const;
  void run_periodic_timer(uint64_t ticks);

  CmosIndex m_index{0};
  RegisterA m_reg_a{0};
  RegisterB m_reg_b{0};
  RegisterC m_reg_c{0};
  RegisterD m_reg_d{.reserved = 0, .vrt = 1};
  /// Clock bytes and NVRAM. The slots of registers A-D are unused: those live in the typed members.
  std::array<uint8_t, k_cmos_size> m_cmos{};
  /// Binary time as of the last update cycle; the guest-visible truth is the encoded registers.
  std::unique_ptr<Calendar> m_calendar;
  uint64_t m_update_phase = 0;       ///< ticks into the current second
  uint64_t m_periodic_interval = 0;  ///< ticks between PF; 0 = periodic timer disarmed
  uint64_t m_periodic_phase = 0;
  uint64_t m_alias_reads = 0;  ///< alias hops followed, for post-mortem inspection
};

}  // namespace devices::rtc
