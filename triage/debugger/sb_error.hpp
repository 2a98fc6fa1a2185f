#pragma once
// Every SBError and invalid SB handle becomes a core::Error here, in one place (lldb-dap's ToError).
#include <string_view>

#include <lldb/API/SBError.h>

#include "triage/core/error.hpp"

namespace triage::debugger {

core::Error to_error(const lldb::SBError& error, core::ErrorCode code, std::string_view context);

}  // namespace triage::debugger
