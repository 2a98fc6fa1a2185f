#include "devices/rtc/calendar.hpp"

#include <array>

namespace devices::rtc {

namespace {

constexpr std::array<uint8_t, 12> k_days_per_month = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

bool is_leap_year(unsigned full_year) {
  return (full_year % 4 == 0 && full_year % 100 != 0) || full_year % 400 == 0;
}

}  // namespace

uint8_t days_in_month(uint8_t month, uint8_t year, uint8_t century) {
  if (month < 1 || month > 12) {
    return 31;
  }
  if (month == 2 && is_leap_year((unsigned{century} * 100u) + year)) {
    return 29;
  }
  return k_days_per_month[month - 1u];
}

void Calendar::advance_one_second() {
  ++update_cycles;
  // Each field compares with ">= last" rather than "== last" so a guest-written out-of-range value
  // rolls over on the next carry instead of counting up to 255 and wrapping.
  if (seconds < 59) {
    ++seconds;
    return;
  }
  seconds = 0;
  if (minutes < 59) {
    ++minutes;
    return;
  }
  minutes = 0;
  if (hours < 23) {
    ++hours;
    return;
  }
  hours = 0;
  day_of_week = day_of_week >= 7 ? 1 : day_of_week + 1;
  if (day_of_month < days_in_month(month, year, century)) {
    ++day_of_month;
    return;
  }
  day_of_month = 1;
  if (month < 12) {
    ++month;
    return;
  }
  month = 1;
  if (year < 99) {
    ++year;
    return;
  }
  year = 0;
  century = century >= 99 ? 0 : century + 1;
}

}  // namespace devices::rtc
