#pragma once
// Every report headline a sanitizer runtime or libFuzzer prints ("==1==ERROR: AddressSanitizer:
// attempting free on address which was not malloc()-ed: ..."), as one table: the tool, a glob on the
// headline text after "<Tool>: ", the runtime's own short id for the bug ("bad-free", the string
// __asan_get_report_description() and LLDB's instrumentation stop give) and the crash kind.
#include <optional>
#include <span>
#include <string_view>

#include "triage/core/crash_kind.hpp"

namespace triage::core {

/// How a row decides its kind beyond `kind`.
enum class HeadlineRefine {
  none,
  by_access,  ///< `write_kind` when the access is a WRITE (heap-buffer-overflow, SEGV)
  by_signal,  ///< a deadly signal: the kind the signal and fault address give (SEGV near 0 is a null deref)
};

struct SanitizerHeadlineRow {
  std::string_view tool;      ///< glob on the tool: "AddressSanitizer", "*Sanitizer", "libFuzzer"
  std::string_view headline;  ///< glob on the headline text after "<tool>: "
  std::string_view id;        ///< the runtime's short bug id: "bad-free", "memcpy-param-overlap"
  CrashKind kind;
  HeadlineRefine refine = HeadlineRefine::none;
  CrashKind write_kind = CrashKind::unknown;
  int signal = 0;  ///< for by_signal rows: the signal the headline reports
};

std::span<const SanitizerHeadlineRow> sanitizer_headlines();

/// The row whose tool and headline globs match, first match wins.
const SanitizerHeadlineRow* find_headline_row(std::string_view tool, std::string_view headline);
/// The row for a runtime's short bug id (LLDB's instrumentation stop "description"), or a headline.
const SanitizerHeadlineRow* find_headline_row_by_id(std::string_view id);

/// The -fsanitize check a UBSan "runtime error:" message comes from ("division by zero" ->
/// "integer-divide-by-zero"), "other" when no row knows it.
std::string_view ubsan_check_for(std::string_view message);

}  // namespace triage::core
