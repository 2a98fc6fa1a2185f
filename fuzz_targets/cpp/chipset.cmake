# fuzz_chipset / fuzz_chipset_dev / replay_chipset: the RTC, the UART and the battery on one port
# bus, as a PC chipset fuzzer sees them.
triage_add_fuzz_target(chipset SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_chipset.cpp
                       DEVICES devices_rtc devices_uart devices_battery)
