#include "devices/battery/register_constants.hpp"

#include "devices/battery/registers.hpp"

#include <array>

namespace devices::battery {

namespace {

constexpr auto k_constants = std::to_array<devices::RegisterConstant>({
    {"status", "DISCHARGING", BatteryStatus::k_discharging},
    {"status", "CHARGING", BatteryStatus::k_charging},
    {"status", "CRITICAL", BatteryStatus::k_critical},
    {"control", "UNIT_MA", PowerUnit::k_unit_ma},
    {"control", "AC_ONLINE", PowerUnit::k_ac_online},
    {"control", "CHARGE_INHIBIT", PowerUnit::k_charge_inhibit},
    {"control", "SAMPLING", PowerUnit::k_sampling},
    {"command_status", "ERROR", CommandStatus::k_error},
    {"command_status", "NOTIFY", CommandStatus::k_notify},
});

}  // namespace

std::span<const devices::RegisterConstant> register_constants() { return k_constants; }

}  // namespace devices::battery
