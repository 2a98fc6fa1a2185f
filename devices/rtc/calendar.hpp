#pragma once
// The time of day in plain binary, as the update cycle sees it between decoding the guest-visible
// time registers and encoding them back. Values may be out of range (the guest can write anything);
// advancing is defined for every value and always lands back in range for the fields it carries into.
#include <cstdint>

namespace devices::rtc {

struct Calendar {
  uint8_t seconds = 0;
  uint8_t minutes = 0;
  uint8_t hours = 0;        ///< 0-23 whatever the register format
  uint8_t day_of_week = 2;  ///< 1 = Sunday
  uint8_t day_of_month = 1;
  uint8_t month = 1;
  uint8_t year = 24;  ///< 0-99 within the century
  uint8_t century = 20;
  uint64_t update_cycles = 0;  ///< completed update cycles, for post-mortem inspection

  /// One update cycle's worth of time: +1 second with carries up to the century.
  void advance_one_second();
};

/// Days in `month` (1-12) of `year` (0-99 in `century`); out-of-range months count as 31 days.
uint8_t days_in_month(uint8_t month, uint8_t year, uint8_t century);

}  // namespace devices::rtc
