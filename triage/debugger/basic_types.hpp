#pragma once
// LLDB's basic types, sorted the way values are printed: signed integers in decimal, floats as LLDB
// formats them. Shared by both value views (SBValue and memory).
#include <lldb/lldb-enumerations.h>

namespace triage::debugger {

inline bool is_signed_basic(lldb::BasicType t) {
  switch (t) {
    case lldb::eBasicTypeSignedChar:
    case lldb::eBasicTypeChar:
    case lldb::eBasicTypeShort:
    case lldb::eBasicTypeInt:
    case lldb::eBasicTypeLong:
    case lldb::eBasicTypeLongLong:
    case lldb::eBasicTypeInt128:
    case lldb::eBasicTypeSignedWChar:
      return true;
    default:
      return false;
  }
}

inline bool is_float_basic(lldb::BasicType t) {
  return t == lldb::eBasicTypeFloat || t == lldb::eBasicTypeDouble || t == lldb::eBasicTypeLongDouble ||
         t == lldb::eBasicTypeHalf;
}

}  // namespace triage::debugger
