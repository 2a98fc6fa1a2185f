#include "triage/debugger/sb_error.hpp"

#include <string>

namespace triage::debugger {

core::Error to_error(const lldb::SBError& error, core::ErrorCode code, std::string_view context) {
  const char* text = error.GetCString();
  std::string message(context);
  message += ": ";
  message += (text != nullptr && *text != '\0') ? text : "unknown LLDB error";
  return core::Error{code, std::move(message)};
}

}  // namespace triage::debugger
