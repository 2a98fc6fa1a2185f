#pragma once
// The register bit constants the battery code uses, one row per field of devices/schemas/battery.toml.
#include "devices/common/register_constants.hpp"

#include <span>

namespace devices::battery {

std::span<const devices::RegisterConstant> register_constants();

}  // namespace devices::battery
