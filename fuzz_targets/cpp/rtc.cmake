# fuzz_rtc / fuzz_rtc_dev / replay_rtc: the CMOS RTC alone on ports 0x70-0x71.
triage_add_fuzz_target(rtc SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_rtc.cpp DEVICES devices_rtc)
