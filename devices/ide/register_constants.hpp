#pragma once
// The bit masks the IDE device code uses, one per field of devices/schemas/ide.toml, so a unit test can
// hold the schema and the code to the same layout.
#include "devices/common/register_constants.hpp"

#include <span>

namespace devices::ide {

std::span<const devices::RegisterConstant> register_constants();

}  // namespace devices::ide
