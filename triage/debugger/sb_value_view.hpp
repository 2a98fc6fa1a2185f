#pragma once
// core::ValueView over an SBValue, always on the raw (non-synthetic) value: LLDB's synthetic children
// for libstdc++ and Rust differ between versions, raw members do not.
#include <optional>
#include <string>
#include <vector>

#include <lldb/API/SBType.h>
#include <lldb/API/SBValue.h>

#include "triage/core/value_view.hpp"

namespace triage::debugger {

class SbValueView final : public core::ValueView {
 public:
  SbValueView(lldb::SBValue value, core::ExpressionPath path, bool base_class = false);

  std::string name() const override;
  std::string type_name() const override;
  std::string canonical_type_name() const override;
  std::string expression_path() const override { return m_path.text(); }
  bool is_pointer() const override;
  bool is_array() const override;
  bool is_scalar() const override;
  bool is_base_class() const override { return m_base_class; }
  size_t num_children() const override;
  std::unique_ptr<core::ValueView> child_at(size_t index) const override;
  std::unique_ptr<core::ValueView> member(std::string_view name) const override;
  std::unique_ptr<core::ValueView> dereference() const override;
  std::unique_ptr<core::ValueView> pointer_element(size_t index, const core::ValueView* owner,
                                                   std::optional<size_t> template_arg) const override;
  std::unique_ptr<core::ValueView> as_template_arg(size_t index) const override;
  std::optional<uint64_t> unsigned_value() const override;
  std::optional<uint64_t> raw_bits(unsigned width_bits) const override;
  std::string scalar_text() const override;
  uint64_t address() const override;
  std::string error() const override;

  lldb::SBValue& sb() const { return m_value; }

 private:
  struct Raw {};  ///< the value is already non-synthetic (a child of a raw value inherits that)
  SbValueView(Raw, lldb::SBValue value, core::ExpressionPath path, bool base_class = false);

  /// The declared and canonical types, asked of LLDB once: every SBValue getter goes through the
  /// value's dynamic-type and synthetic-children checks, and the walker asks for types many times.
  lldb::SBType& type() const;
  lldb::SBType& canonical() const;
  const std::vector<std::string>& base_names() const;

  mutable lldb::SBValue m_value;  // SB handles are cheap shared references; their getters are non-const
  core::ExpressionPath m_path;
  bool m_base_class;
  mutable std::optional<lldb::SBType> m_type;
  mutable std::optional<lldb::SBType> m_canonical;
  mutable std::optional<std::string> m_type_name;
  mutable std::optional<std::string> m_name;
  mutable std::optional<bool> m_is_array;
  mutable std::optional<size_t> m_num_children;
  mutable std::optional<std::vector<std::string>> m_base_names;  ///< canonical names of the direct and virtual bases
};

}  // namespace triage::debugger
