# fuzz_uart / fuzz_uart_dev / replay_uart: the 16550 UART alone on ports 0x3F8-0x3FF.
triage_add_fuzz_target(uart SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_uart.cpp DEVICES devices_uart)
