#include "triage/debugger/memory_value_view.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>
#include <lldb/API/SBData.h>
#include <lldb/API/SBError.h>

#include "triage/debugger/sb_value_view.hpp"

namespace triage::debugger {
namespace {

constexpr uint64_t k_page = 4096;
/// Larger objects are checked for readability up to here (LLDB reads a value's bytes when asked).
constexpr uint64_t k_max_checked_bytes = 1 << 20;
/// The largest value a location expression can assemble from registers (two 8-byte pieces).
constexpr uint64_t k_max_register_value = 16;

using Kind = TypeLayout::Kind;

}  // namespace

const std::vector<uint8_t>* MemoryImage::page(uint64_t page_address) {
  auto it = m_pages.find(page_address);
  if (it == m_pages.end()) {
    std::vector<uint8_t> bytes(k_page);
    lldb::SBError err;
    const size_t got = m_process.ReadMemory(page_address, bytes.data(), bytes.size(), err);
    if (err.Fail() || got != bytes.size()) {
      bytes.clear();
    }
    it = m_pages.emplace(page_address, std::move(bytes)).first;
  }
  return it->second.empty() ? nullptr : &it->second;
}

bool MemoryImage::read(uint64_t address, void* out, size_t size) {
  auto* dst = static_cast<uint8_t*>(out);
  while (size > 0) {
    const uint64_t base = address & ~(k_page - 1);
    const auto* p = page(base);
    if (p == nullptr) {
      return false;
    }
    const size_t offset = address - base;
    const size_t n = std::min<size_t>(size, k_page - offset);
    if (dst != nullptr) {
      std::memcpy(dst, p->data() + offset, n);
      dst += n;
    }
    address += n;
    size -= n;
  }
  return true;
}

std::unique_ptr<core::ValueView> make_value_view(WalkContext& context, lldb::SBValue var, core::ExpressionPath path) {
  var.SetPreferSyntheticValue(false);
  const TypeLayout* layout = context.layouts->get(var.GetType());
  const char* n = var.GetName();
  std::string name = n != nullptr ? n : "";
  if (layout == nullptr) {
    return std::make_unique<SbValueView>(var, std::move(path));
  }
  const auto addr = var.GetLoadAddress();
  // A variable held in registers (or computed by its location expression) may still report a "load
  // address" (its own value, for a pointer): only bytes that match the value's are its home. Larger
  // values always live in memory.
  if (addr != LLDB_INVALID_ADDRESS && layout->byte_size > k_max_register_value) {
    return std::make_unique<MemoryValueView>(context, *layout, addr, std::move(name), std::move(path));
  }
  lldb::SBData data = var.GetData();
  std::vector<uint8_t> bytes(layout->byte_size);
  lldb::SBError err;
  if (!data.IsValid() || data.GetByteSize() != layout->byte_size ||
      data.ReadRawData(err, 0, bytes.data(), bytes.size()) != bytes.size() || err.Fail()) {
    return std::make_unique<SbValueView>(var, std::move(path));
  }
  if (addr != LLDB_INVALID_ADDRESS) {
    std::vector<uint8_t> in_memory(bytes.size());
    if (context.memory->read(addr, in_memory.data(), in_memory.size()) && in_memory == bytes) {
      return std::make_unique<MemoryValueView>(context, *layout, addr, std::move(name), std::move(path));
    }
  }
  return std::make_unique<MemoryValueView>(context, *layout, std::move(bytes), std::move(name), std::move(path));
}

MemoryValueView::MemoryValueView(WalkContext& context, const TypeLayout& layout, uint64_t address, std::string name,
                                 core::ExpressionPath path, bool base_class)
    : m_context(&context),
      m_layout(&layout),
      m_address(address),
      m_name(std::move(name)),
      m_path(std::move(path)),
      m_base_class(base_class) {}

MemoryValueView::MemoryValueView(WalkContext& context, const TypeLayout& layout, std::vector<uint8_t> bytes,
                                 std::string name, core::ExpressionPath path, bool base_class)
    : m_context(&context),
      m_layout(&layout),
      m_inline(std::move(bytes)),
      m_name(std::move(name)),
      m_path(std::move(path)),
      m_base_class(base_class) {}

bool MemoryValueView::bytes(uint64_t offset, void* out, size_t size) const {
  if (m_inline) {
    if (offset + size > m_inline->size()) {
      return false;
    }
    std::memcpy(out, m_inline->data() + offset, size);
    return true;
  }
  return m_context->memory->read(m_address + offset, out, size);
}

bool MemoryValueView::is_pointer() const { return m_layout->kind == Kind::pointer || m_layout->kind == Kind::reference; }

bool MemoryValueView::is_array() const { return m_layout->kind == Kind::array; }

std::optional<uint64_t> MemoryValueView::integer() const {
  if (m_bit_size > 0) {
    const size_t n = std::min<size_t>((m_bit_offset + m_bit_size + 7) / 8, 8);
    uint64_t word = 0;
    if (!bytes(0, &word, n)) {
      return std::nullopt;
    }
    uint64_t v = word >> m_bit_offset;
    if (m_bit_size < 64) {
      v &= (uint64_t{1} << m_bit_size) - 1;
      if (m_layout->is_signed && (v >> (m_bit_size - 1)) != 0) {
        v |= ~uint64_t{0} << m_bit_size;
      }
    }
    return v;
  }
  const size_t n = m_layout->byte_size;
  if (n == 0 || n > 8) {
    return std::nullopt;
  }
  uint64_t v = 0;
  if (!bytes(0, &v, n)) {
    return std::nullopt;
  }
  if (m_layout->is_signed && n < 8 && (v >> (8 * n - 1)) != 0) {
    v |= ~uint64_t{0} << (8 * n);
  }
  return v;
}

std::unique_ptr<core::ValueView> MemoryValueView::typed_at_address(const TypeLayout* l, lldb::SBType type,
                                                                   uint64_t address, std::string name,
                                                                   core::ExpressionPath path) const {
  if (l != nullptr) {
    return std::make_unique<MemoryValueView>(*m_context, *l, address, std::move(name), std::move(path));
  }
  lldb::SBValue v = m_context->target.CreateValueFromAddress(name.c_str(), lldb::SBAddress(address, m_context->target), type);
  if (!v.IsValid()) {
    return nullptr;
  }
  return std::make_unique<SbValueView>(v, std::move(path));
}

std::unique_ptr<core::ValueView> MemoryValueView::at(const MemberLayout& member, core::ExpressionPath path) const {
  const uint64_t byte_offset = member.offset_bits / 8;
  const TypeLayout* l = m_context->layouts->of(member);
  if (l == nullptr) {
    if (m_inline) {
      return nullptr;  // a register variable's member of a type without layout: nothing to read it from
    }
    auto v = m_context->target.CreateValueFromAddress(member.name.c_str(),
                                                      lldb::SBAddress(m_address + byte_offset, m_context->target), member.type);
    if (!v.IsValid()) {
      return nullptr;
    }
    return std::make_unique<SbValueView>(v, std::move(path), member.is_base);
  }
  std::unique_ptr<MemoryValueView> child;
  if (m_inline) {
    const size_t size = member.bitfield_bits > 0 ? std::min<size_t>((member.offset_bits % 8 + member.bitfield_bits + 7) / 8, 8)
                                                 : l->byte_size;
    if (byte_offset + size > m_inline->size()) {
      return nullptr;
    }
    std::vector<uint8_t> slice(m_inline->begin() + static_cast<ptrdiff_t>(byte_offset),
                               m_inline->begin() + static_cast<ptrdiff_t>(byte_offset + size));
    child = std::make_unique<MemoryValueView>(*m_context, *l, std::move(slice), member.name, std::move(path), member.is_base);
  } else {
    child = std::make_unique<MemoryValueView>(*m_context, *l, m_address + byte_offset, member.name, std::move(path),
                                              member.is_base);
  }
  if (member.bitfield_bits > 0) {
    child->m_bit_offset = static_cast<uint32_t>(member.offset_bits % 8);
    child->m_bit_size = member.bitfield_bits;
  }
  return child;
}

size_t MemoryValueView::num_children() const {
  switch (m_layout->kind) {
    case Kind::record:
      return m_layout->members.size();
    case Kind::array:
      return m_layout->element_count;
    case Kind::pointer:
    case Kind::reference: {
      // LLDB shows a pointer's children as its pointee's (a pointer to a scalar has the one).
      auto d = dereference();
      if (!d) {
        return 0;
      }
      const auto* m = dynamic_cast<const MemoryValueView*>(d.get());
      return m != nullptr && m->m_layout->kind != Kind::record ? 1 : d->num_children();
    }
    default:
      return 0;
  }
}

std::unique_ptr<core::ValueView> MemoryValueView::child_at(size_t index) const {
  switch (m_layout->kind) {
    case Kind::record: {
      if (index >= m_layout->members.size()) {
        return nullptr;
      }
      const MemberLayout& m = m_layout->members[index];
      return at(m, m.is_base ? m_path.base() : m_path.member(m.name));
    }
    case Kind::array: {
      if (index >= m_layout->element_count) {
        return nullptr;
      }
      const TypeLayout* e = m_context->layouts->element_of(*m_layout);
      if (e == nullptr) {
        return nullptr;
      }
      const MemberLayout m{fmt::format("[{}]", index), index * e->byte_size * 8, 0, false, m_layout->element, e};
      return at(m, m_path.element(index));
    }
    case Kind::pointer:
    case Kind::reference: {
      auto d = dereference();
      if (!d) {
        return nullptr;
      }
      const auto* m = dynamic_cast<const MemoryValueView*>(d.get());
      if (m != nullptr && m->m_layout->kind != Kind::record) {
        return index == 0 ? std::move(d) : nullptr;
      }
      return d->child_at(index);
    }
    default:
      return nullptr;
  }
}

std::unique_ptr<core::ValueView> MemoryValueView::member(std::string_view name) const {
  if (m_layout->kind != Kind::record) {
    return nullptr;
  }
  // As LLDB looks a member up: this type's fields (and those of anonymous structs/unions in it), then
  // its base classes.
  for (const MemberLayout& m : m_layout->members) {
    if (!m.is_base && m.name == name) {
      return at(m, m_path.member(name));
    }
  }
  // Then inside anonymous members, then inside base classes: found there, it keeps the path a user
  // would type (`a.x`, not the anonymous union's nonexistent name).
  for (const bool bases : {false, true}) {
    for (const MemberLayout& m : m_layout->members) {
      if (m.is_base != bases || (!bases && !m.name.empty())) {
        continue;
      }
      auto inner = at(m, m_path);
      auto found = inner ? inner->member(name) : nullptr;
      if (found) {
        if (auto* mv = dynamic_cast<MemoryValueView*>(found.get())) {
          mv->m_path = m_path.member(name);
        }
        return found;
      }
    }
  }
  return nullptr;
}

std::unique_ptr<core::ValueView> MemoryValueView::dereference() const {
  if (!is_pointer()) {
    return nullptr;
  }
  const auto target = integer();
  if (!target || *target == 0) {
    return nullptr;
  }
  auto d = typed_at_address(m_context->layouts->element_of(*m_layout), m_layout->element, *target, "*" + m_name,
                            m_path.dereferenced());
  if (d && !d->error().empty()) {
    return nullptr;
  }
  return d;
}

std::unique_ptr<core::ValueView> MemoryValueView::pointer_element(size_t index, const core::ValueView* owner,
                                                                  std::optional<size_t> template_arg) const {
  if (!is_pointer()) {
    return nullptr;
  }
  lldb::SBType element = m_layout->element;
  const TypeLayout* element_layout = nullptr;
  if (template_arg) {
    lldb::SBType owner_type;
    if (const auto* o = dynamic_cast<const MemoryValueView*>(owner)) {
      lldb::SBType declared = o->m_layout->type;
      owner_type = declared.GetCanonicalType();
    } else if (const auto* s = dynamic_cast<const SbValueView*>(owner)) {
      owner_type = s->sb().GetType().GetCanonicalType();
    } else {
      return nullptr;
    }
    element = owner_type.GetTemplateArgumentType(static_cast<uint32_t>(*template_arg));
    element_layout = m_context->layouts->get(element);
  } else {
    element_layout = m_context->layouts->element_of(*m_layout);
  }
  const uint64_t size = element_layout != nullptr ? element_layout->byte_size : element.IsValid() ? element.GetByteSize() : 0;
  const auto base = integer();
  if (size == 0 || !base) {
    return nullptr;
  }
  return typed_at_address(element_layout, element, *base + index * size, fmt::format("[{}]", index),
                          m_path.element(index));
}

std::unique_ptr<core::ValueView> MemoryValueView::as_template_arg(size_t index) const {
  if (m_inline) {
    return nullptr;
  }
  lldb::SBType declared = m_layout->type;
  lldb::SBType t = declared.GetCanonicalType().GetTemplateArgumentType(static_cast<uint32_t>(index));
  if (!t.IsValid()) {
    return nullptr;
  }
  return typed_at_address(m_context->layouts->get(t), t, m_address, m_name, m_path);
}

std::optional<uint64_t> MemoryValueView::unsigned_value() const {
  switch (m_layout->kind) {
    case Kind::integer:
    case Kind::boolean:
    case Kind::enumeration:
    case Kind::pointer:
    case Kind::reference:
      return integer();
    case Kind::floating: {
      lldb::SBError err;
      const uint64_t v = sb_value().GetValueAsUnsigned(err, 0);
      return err.Fail() ? std::nullopt : std::optional<uint64_t>(v);
    }
    default:
      return std::nullopt;  // aggregates have no single value
  }
}

std::optional<uint64_t> MemoryValueView::raw_bits(unsigned width_bits) const {
  const size_t n = std::min<size_t>({width_bits / 8, m_layout->byte_size, 8});
  if (n == 0) {
    return std::nullopt;
  }
  uint64_t v = 0;
  if (!bytes(0, &v, n)) {
    return std::nullopt;
  }
  return v;
}

std::string MemoryValueView::scalar_text() const {
  switch (m_layout->kind) {
    case Kind::enumeration: {
      if (const auto v = integer()) {
        const uint64_t mask = m_layout->byte_size >= 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * m_layout->byte_size)) - 1;
        for (const auto& [value, name] : m_layout->enumerators) {
          if ((value & mask) == (*v & mask)) {
            return name;
          }
        }
      }
      const char* s = sb_value().GetValue();  // LLDB's way with flags and unknown values
      return s != nullptr ? s : "?";
    }
    case Kind::pointer:
    case Kind::reference:
      return fmt::format("{:#x}", integer().value_or(0));
    case Kind::boolean: {
      const auto v = integer();
      return v.value_or(0) != 0 ? "true" : "false";
    }
    case Kind::floating: {
      const char* s = sb_value().GetValue();
      return s != nullptr ? s : "?";
    }
    case Kind::integer: {
      const auto v = integer();
      if (!v) {
        return "?";
      }
      if (m_layout->is_signed) {
        return std::to_string(static_cast<int64_t>(*v));
      }
      // Never a character: bytes print as numbers, larger values also in hex.
      return *v > 9 ? fmt::format("{} ({:#x})", *v, *v) : std::to_string(*v);
    }
    default:
      return "?";
  }
}

std::string MemoryValueView::error() const {
  if (m_inline) {
    return {};
  }
  const uint64_t size = std::min<uint64_t>(std::max<uint64_t>(m_layout->byte_size, 1), k_max_checked_bytes);
  if (!m_context->memory->read(m_address, nullptr, size)) {
    return fmt::format("memory read failed for {:#x}", m_address);
  }
  return {};
}

lldb::SBValue MemoryValueView::sb_value() const {
  lldb::SBValue v;
  if (m_inline) {
    lldb::SBData data;
    lldb::SBError err;
    data.SetData(err, m_inline->data(), m_inline->size(), m_context->target.GetByteOrder(),
                 static_cast<uint8_t>(m_context->target.GetAddressByteSize()));
    v = m_context->target.CreateValueFromData(m_name.c_str(), data, m_layout->type);
  } else {
    v = m_context->target.CreateValueFromAddress(m_name.c_str(), lldb::SBAddress(m_address, m_context->target),
                                                 m_layout->type);
  }
  v.SetPreferSyntheticValue(false);
  return v;
}

}  // namespace triage::debugger
