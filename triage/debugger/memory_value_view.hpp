#pragma once
// core::ValueView over the stopped process's memory and cached type layouts (type_layout.hpp): the
// device walk's fast path. It answers exactly what SbValueView answers for the same value, but reads
// memory a page at a time and decodes members itself; values it cannot decode the same way LLDB
// would (floats, enum values outside their enumerators, types without a static layout) are handed to
// an SbValueView.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <lldb/API/SBProcess.h>
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBValue.h>

#include "triage/core/value_view.hpp"
#include "triage/debugger/type_layout.hpp"

namespace triage::debugger {

/// The stopped process's memory, read a page at a time and kept for one walk.
class MemoryImage {
 public:
  explicit MemoryImage(lldb::SBProcess process) : m_process(std::move(process)) {}
  /// False when any of the bytes cannot be read.
  bool read(uint64_t address, void* out, size_t size);

 private:
  const std::vector<uint8_t>* page(uint64_t page_address);
  lldb::SBProcess m_process;
  std::unordered_map<uint64_t, std::vector<uint8_t>> m_pages;  ///< empty vector: unreadable
};

/// What every view of one walk shares.
struct WalkContext {
  TypeLayoutCache* layouts;
  MemoryImage* memory;
  lldb::SBTarget target;
};

/// A view of the variable `var` (named `path`), fast when its type has a layout, else an SbValueView.
std::unique_ptr<core::ValueView> make_value_view(WalkContext& context, lldb::SBValue var, core::ExpressionPath path);

class MemoryValueView final : public core::ValueView {
 public:
  /// A value in memory at `address` (bit_offset/bit_size: a bitfield starting there).
  MemoryValueView(WalkContext& context, const TypeLayout& layout, uint64_t address, std::string name,
                  core::ExpressionPath path, bool base_class = false);
  /// A value held outside memory (a register variable): its bytes.
  MemoryValueView(WalkContext& context, const TypeLayout& layout, std::vector<uint8_t> bytes, std::string name,
                  core::ExpressionPath path, bool base_class = false);

  std::string name() const override { return m_name; }
  std::string type_name() const override { return m_layout->name; }
  std::string canonical_type_name() const override { return m_layout->canonical_name; }
  std::string expression_path() const override { return m_path.text(); }
  bool is_pointer() const override;
  bool is_array() const override;
  bool is_scalar() const override { return m_layout->is_scalar(); }
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
  uint64_t address() const override { return m_inline ? 0 : m_address; }
  std::string error() const override;

  const TypeLayout& layout() const { return *m_layout; }

 private:
  /// The value's first `size` bytes (from memory or the held bytes).
  bool bytes(uint64_t offset, void* out, size_t size) const;
  /// The integer in the value's bytes (bitfields extracted, signed values sign-extended).
  std::optional<uint64_t> integer() const;
  /// A view of something at `offset_bits` into this value.
  std::unique_ptr<core::ValueView> at(const MemberLayout& member, core::ExpressionPath path) const;
  /// A value of `type` (laid out as `layout`, or through LLDB when null) at `address`.
  std::unique_ptr<core::ValueView> typed_at_address(const TypeLayout* layout, lldb::SBType type, uint64_t address,
                                                    std::string name, core::ExpressionPath path) const;
  /// LLDB's own view of this value, for the few things it formats differently.
  lldb::SBValue sb_value() const;

  WalkContext* m_context;
  const TypeLayout* m_layout;
  uint64_t m_address = 0;
  std::optional<std::vector<uint8_t>> m_inline;
  uint32_t m_bit_offset = 0;
  uint32_t m_bit_size = 0;
  std::string m_name;
  core::ExpressionPath m_path;
  bool m_base_class = false;
};

}  // namespace triage::debugger
