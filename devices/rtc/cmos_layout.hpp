#pragma once
// Where things live in the 128-byte CMOS array (MC146818 plus the PC's conventions).
#include <cstddef>
#include <cstdint>

namespace devices::rtc {

inline constexpr size_t k_cmos_size = 128;

inline constexpr uint8_t k_seconds = 0x00;
inline constexpr uint8_t k_seconds_alarm = 0x01;
inline constexpr uint8_t k_minutes = 0x02;
inline constexpr uint8_t k_minutes_alarm = 0x03;
inline constexpr uint8_t k_hours = 0x04;
inline constexpr uint8_t k_hours_alarm = 0x05;
inline constexpr uint8_t k_day_of_week = 0x06;
inline constexpr uint8_t k_day_of_month = 0x07;
inline constexpr uint8_t k_month = 0x08;
inline constexpr uint8_t k_year = 0x09;
inline constexpr uint8_t k_register_a = 0x0a;
inline constexpr uint8_t k_register_b = 0x0b;
inline constexpr uint8_t k_register_c = 0x0c;
inline constexpr uint8_t k_register_d = 0x0d;
inline constexpr uint8_t k_century = 0x32;  ///< ACPI FADT century byte; NVRAM, not updated by the chip

/// Extended-bank alias registers: each holds another CMOS index, and data-port reads through an
/// alias return the register it names (firmware uses them to expose a bank-2 byte at a fixed slot).
inline constexpr uint8_t k_alias_first = 0x7e;
inline constexpr uint8_t k_alias_last = 0x7f;

/// Bit 7 of the hours register in 12-hour mode.
inline constexpr uint8_t k_hours_pm = 0x80;
/// Alarm register values 0xC0-0xFF match any value ("don't care").
inline constexpr uint8_t k_alarm_dont_care = 0xc0;

constexpr bool is_alias_register(uint8_t index) { return index >= k_alias_first && index <= k_alias_last; }

}  // namespace devices::rtc
