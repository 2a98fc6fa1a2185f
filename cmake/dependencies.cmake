# Third-party dependencies, all from Debian 12 packages (.ci/install-deps installs them).
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)  # SHA-1 of artifacts and signatures (libssl-dev)
# RE2 (libre2-dev): linear-time matching for every parser of text a target controls.
find_package(PkgConfig REQUIRED)
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)

find_library(LIBLLDB NAMES lldb-${TRIAGE_LLVM_VERSION} lldb PATHS ${TRIAGE_LLVM_ROOT}/lib NO_DEFAULT_PATH REQUIRED)
add_library(liblldb SHARED IMPORTED)
set_target_properties(liblldb PROPERTIES
  IMPORTED_LOCATION ${LIBLLDB}
  INTERFACE_INCLUDE_DIRECTORIES ${TRIAGE_LLVM_ROOT}/include)

# Debian's liblldb cannot find lldb-server by itself: the tool sets LLDB_DEBUGSERVER_PATH to this
# (overridable at run time by the variable itself or --lldb-server).
find_program(TRIAGE_LLDB_SERVER NAMES lldb-server PATHS ${TRIAGE_LLVM_ROOT}/bin NO_DEFAULT_PATH REQUIRED)
find_program(TRIAGE_LLVM_SYMBOLIZER NAMES llvm-symbolizer PATHS ${TRIAGE_LLVM_ROOT}/bin NO_DEFAULT_PATH)
find_program(TRIAGE_LLDB_CLI NAMES lldb PATHS ${TRIAGE_LLVM_ROOT}/bin NO_DEFAULT_PATH)

if(TRIAGE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
