#pragma once
// The crash kinds triage reports, as one table: id, severity class, and a one-line description.
// Severity classes follow CASR's: exploitable > probably-exploitable > not-exploitable.
#include <optional>
#include <span>
#include <string_view>

namespace triage::core {

enum class CrashKind {
  heap_buffer_overflow_read,
  heap_buffer_overflow_write,
  stack_buffer_overflow,
  global_buffer_overflow,
  use_after_free,
  double_free,
  bad_free,
  stack_use_after_return,
  stack_use_after_scope,
  container_overflow,
  use_after_poison,
  intra_object_overflow,
  negative_size_param,
  param_overlap,
  alloc_dealloc_mismatch,
  new_delete_type_mismatch,
  bad_allocation_size,
  invalid_pointer_pair,
  odr_violation,
  init_order_fiasco,
  unknown_crash,
  uninitialized_value,
  tag_mismatch,
  data_race,
  lock_order_inversion,
  thread_misuse,
  null_deref,
  segv,
  segv_write,
  bus,
  stack_overflow,
  fpe,
  ill,
  abort,
  assert,
  cxx_exception,
  rust_panic,
  timeout,
  oom,
  leak,
  ubsan,
  killed,
  target_exit,
  input_overwrite,
  live,
  unknown,
};

enum class Severity { exploitable, probably_exploitable, not_exploitable };

struct CrashKindInfo {
  CrashKind kind;
  std::string_view id;  ///< stable name used in reports, signatures and the store
  Severity severity;
  std::string_view description;
};

/// A severity class as every format names it.
struct SeverityInfo {
  Severity severity;
  std::string_view id;                 ///< "probably-exploitable": reports, JSON, the store
  std::string_view label;              ///< "medium": the terminal table's column
  std::string_view sarif_level;        ///< "warning"
  std::string_view security_severity;  ///< GitHub code scanning's CVSS-like score, "6.5"
};
const SeverityInfo& severity_info(Severity severity);
/// By id; not-exploitable for an id no class has.
Severity severity_from_string(std::string_view id);

std::span<const CrashKindInfo> crash_kinds();
const CrashKindInfo& crash_kind_info(CrashKind kind);
std::string_view to_string(CrashKind kind);
std::string_view to_string(Severity severity);
std::optional<CrashKind> crash_kind_from_string(std::string_view id);

}  // namespace triage::core
