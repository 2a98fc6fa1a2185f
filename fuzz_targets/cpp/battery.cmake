# fuzz_battery / fuzz_battery_dev / replay_battery: the ACPI battery alone on ports 0x400-0x40F.
triage_add_fuzz_target(battery SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_battery.cpp DEVICES devices_battery)
