# fuzz_ide: the IDE/ATA controller (devices/ide) driven through its ports and guest memory.
triage_add_fuzz_target(ide SOURCES ${CMAKE_CURRENT_LIST_DIR}/fuzz_ide.cpp DEVICES devices_ide)
