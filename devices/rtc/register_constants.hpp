#pragma once
// The register bit constants the RTC code uses, one row per field of devices/schemas/rtc.toml.
#include "devices/common/register_constants.hpp"

#include <span>

namespace devices::rtc {

std::span<const devices::RegisterConstant> register_constants();

}  // namespace devices::rtc
