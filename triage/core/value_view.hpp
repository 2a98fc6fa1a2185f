#pragma once
// The walker's view of one value in the debugged process. debugger/ implements it over SBValue (raw,
// non-synthetic members); tests implement it over JSON fixtures. Core code never sees an SB type.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace triage::core {

class ValueView {
 public:
  virtual ~ValueView() = default;

  virtual std::string name() const = 0;
  virtual std::string type_name() const = 0;
  /// The type with typedefs resolved (`IdeDevice` -> `devices::CloseableMutex<...>`): tried when the
  /// declared name matches no wrapper rule or schema.
  virtual std::string canonical_type_name() const { return type_name(); }
  /// A path a user can paste into `frame variable` / `expr` to reach this value.
  virtual std::string expression_path() const = 0;

  virtual bool is_pointer() const = 0;
  virtual bool is_array() const = 0;
  /// True for integers, enums, bools, floats and pointers: values printed as one token.
  virtual bool is_scalar() const = 0;
  /// A base-class subobject: its members are shown as members of the derived value.
  virtual bool is_base_class() const = 0;

  virtual size_t num_children() const = 0;
  virtual std::unique_ptr<ValueView> child_at(size_t index) const = 0;
  /// A direct member (or a member of an anonymous struct/union inside), null when absent.
  virtual std::unique_ptr<ValueView> member(std::string_view name) const = 0;
  /// The pointee of a pointer, null for a null or unreadable pointer.
  virtual std::unique_ptr<ValueView> dereference() const = 0;
  /// `pointer[index]` where this value is a pointer; when `template_arg` is set, the pointer is first
  /// cast to a pointer to `owner`'s template argument of that index (type-erased Rust RawVec).
  virtual std::unique_ptr<ValueView> pointer_element(size_t index, const ValueView* owner = nullptr,
                                                     std::optional<size_t> template_arg = std::nullopt) const = 0;

  /// This value's bytes seen as its own type's template argument `index` (libstdc++'s
  /// __aligned_membuf<T> storage inside optional/variant), null when unavailable.
  virtual std::unique_ptr<ValueView> as_template_arg(size_t index) const = 0;

  /// The value as an unsigned integer (pointers: the address), nullopt when unreadable.
  virtual std::optional<uint64_t> unsigned_value() const = 0;
  /// The first `width_bits` bits of the value's bytes, little endian (registers, newtypes, bitfields).
  virtual std::optional<uint64_t> raw_bits(unsigned width_bits) const = 0;
  /// The text of a scalar: decimal for integers (never a character), enumerator names, true/false,
  /// hex for pointers.
  virtual std::string scalar_text() const = 0;
  /// The load address of the value, for cycle detection (0 when it has none).
  virtual uint64_t address() const = 0;
  /// Why the value cannot be read ("optimized out", "memory read failed"), empty when fine.
  virtual std::string error() const = 0;
};

/// Builds lldb expression paths step by step: member access (`.` or `->` after a dereference),
/// array elements and base-class subobjects (which add nothing).
class ExpressionPath {
 public:
  ExpressionPath() = default;
  explicit ExpressionPath(std::string root) : m_path(std::move(root)) {}

  const std::string& text() const { return m_path; }
  ExpressionPath member(std::string_view name) const;
  ExpressionPath element(size_t index) const;
  ExpressionPath dereferenced() const;
  ExpressionPath base() const { return *this; }

 private:
  std::string m_path;
  bool m_is_deref = false;  ///< m_path is "*p": the next member access is written p->name
};

}  // namespace triage::core
