#pragma once
// The register bit constants the UART code uses, one row per field of devices/schemas/uart.toml.
#include "devices/common/register_constants.hpp"

#include <span>

namespace devices::uart {

std::span<const devices::RegisterConstant> register_constants();

}  // namespace devices::uart
