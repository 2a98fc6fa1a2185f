#include "triage/debugger/sb_value_view.hpp"

#include <lldb/API/SBData.h>
#include <lldb/API/SBError.h>
#include <lldb/API/SBType.h>

#include <fmt/format.h>

#include "triage/debugger/basic_types.hpp"

namespace triage::debugger {
namespace {

/// The value without LLDB's synthetic children. Only a flag on the handle: asking IsSynthetic() first
/// would build the synthetic view (Python formatters for libstdc++ containers) just to discard it.
/// Children and dereferences inherit the flag.
lldb::SBValue raw(lldb::SBValue v) {
  if (v.IsValid()) {
    v.SetPreferSyntheticValue(false);
  }
  return v;
}


}  // namespace

SbValueView::SbValueView(lldb::SBValue value, core::ExpressionPath path, bool base_class)
    : m_value(raw(std::move(value))), m_path(std::move(path)), m_base_class(base_class) {}

SbValueView::SbValueView(Raw, lldb::SBValue value, core::ExpressionPath path, bool base_class)
    : m_value(std::move(value)), m_path(std::move(path)), m_base_class(base_class) {}

lldb::SBType& SbValueView::type() const {
  if (!m_type) {
    m_type = m_value.GetType();
  }
  return *m_type;
}

lldb::SBType& SbValueView::canonical() const {
  if (!m_canonical) {
    m_canonical = type().GetCanonicalType();
  }
  return *m_canonical;
}

const std::vector<std::string>& SbValueView::base_names() const {
  if (!m_base_names) {
    m_base_names.emplace();
    auto& t = canonical();
    const uint32_t direct = t.GetNumberOfDirectBaseClasses();
    const uint32_t virtuals = t.GetNumberOfVirtualBaseClasses();
    for (uint32_t b = 0; b < direct; ++b) {
      const char* n = t.GetDirectBaseClassAtIndex(b).GetType().GetCanonicalType().GetName();
      m_base_names->emplace_back(n != nullptr ? n : "");
    }
    for (uint32_t b = 0; b < virtuals; ++b) {
      const char* n = t.GetVirtualBaseClassAtIndex(b).GetType().GetCanonicalType().GetName();
      m_base_names->emplace_back(n != nullptr ? n : "");
    }
  }
  return *m_base_names;
}

std::string SbValueView::name() const {
  if (!m_name) {
    const char* n = m_value.GetName();
    m_name = n != nullptr ? n : "";
  }
  return *m_name;
}

std::string SbValueView::type_name() const {
  if (!m_type_name) {
    const char* n = m_value.GetTypeName();
    m_type_name = n != nullptr ? n : "";
  }
  return *m_type_name;
}

std::string SbValueView::canonical_type_name() const {
  const char* n = canonical().GetName();
  return n != nullptr ? n : type_name();
}

bool SbValueView::is_pointer() const {
  auto& t = type();
  return t.IsPointerType() || t.IsReferenceType();
}

bool SbValueView::is_array() const {
  if (!m_is_array) {
    m_is_array = canonical().IsArrayType();
  }
  return *m_is_array;
}

bool SbValueView::is_scalar() const {
  auto& t = canonical();
  switch (t.GetTypeClass()) {
    case lldb::eTypeClassBuiltin:
    case lldb::eTypeClassEnumeration:
      return true;
    case lldb::eTypeClassPointer: {
      auto pointee = t.GetPointeeType().GetCanonicalType();
      return pointee.GetBasicType() == lldb::eBasicTypeVoid || pointee.GetTypeClass() == lldb::eTypeClassFunction;
    }
    default:
      return false;
  }
}

size_t SbValueView::num_children() const {
  if (!m_num_children) {
    m_num_children = m_value.GetNumChildren();
  }
  return *m_num_children;
}

std::unique_ptr<core::ValueView> SbValueView::child_at(size_t index) const {
  auto c = m_value.GetChildAtIndex(static_cast<uint32_t>(index));
  if (!c.IsValid()) {
    return nullptr;
  }
  auto child = std::unique_ptr<SbValueView>(new SbValueView(Raw{}, c, {}));
  if (is_array()) {
    child->m_path = m_path.element(index);
    return child;
  }
  // A base-class subobject, when the child's type is one of the bases (LLDB omits empty bases, so the
  // child index alone does not tell).
  bool base = false;
  if (const auto& bases = base_names(); !bases.empty()) {
    const char* child_type = child->canonical().GetName();
    const std::string_view ct = child_type != nullptr ? child_type : "";
    for (const auto& b : bases) {
      base = base || ct == b;
    }
  }
  if (base) {
    child->m_path = m_path.base();
    child->m_base_class = true;
  } else {
    child->m_path = m_path.member(child->name());
  }
  return child;
}

std::unique_ptr<core::ValueView> SbValueView::member(std::string_view name) const {
  const std::string n(name);
  auto c = m_value.GetChildMemberWithName(n.c_str());
  if (!c.IsValid()) {
    return nullptr;
  }
  return std::unique_ptr<SbValueView>(new SbValueView(Raw{}, c, m_path.member(name)));
}

std::unique_ptr<core::ValueView> SbValueView::dereference() const {
  auto d = m_value.Dereference();
  if (!d.IsValid() || d.GetError().Fail()) {
    return nullptr;
  }
  return std::make_unique<SbValueView>(d, m_path.dereferenced());
}

std::unique_ptr<core::ValueView> SbValueView::pointer_element(size_t index, const core::ValueView* owner,
                                                              std::optional<size_t> template_arg) const {
  if (template_arg) {
    const auto* o = dynamic_cast<const SbValueView*>(owner);
    if (o == nullptr) {
      return nullptr;
    }
    auto elem = o->canonical().GetTemplateArgumentType(static_cast<uint32_t>(*template_arg));
    if (!elem.IsValid() || elem.GetByteSize() == 0) {
      return nullptr;
    }
    const uint64_t base = m_value.GetValueAsUnsigned(0);
    const std::string name = fmt::format("[{}]", index);
    auto v = m_value.CreateValueFromAddress(name.c_str(), base + index * elem.GetByteSize(), elem);
    if (!v.IsValid()) {
      return nullptr;
    }
    return std::make_unique<SbValueView>(v, m_path.element(index));
  }
  auto c = m_value.GetChildAtIndex(static_cast<uint32_t>(index), lldb::eNoDynamicValues, true);
  if (!c.IsValid()) {
    return nullptr;
  }
  return std::unique_ptr<SbValueView>(new SbValueView(Raw{}, c, m_path.element(index)));
}

std::unique_ptr<core::ValueView> SbValueView::as_template_arg(size_t index) const {
  auto t = canonical().GetTemplateArgumentType(static_cast<uint32_t>(index));
  const auto addr = m_value.GetLoadAddress();
  if (!t.IsValid() || addr == LLDB_INVALID_ADDRESS) {
    return nullptr;
  }
  auto v = m_value.CreateValueFromAddress(m_value.GetName(), addr, t);
  if (!v.IsValid()) {
    return nullptr;
  }
  return std::make_unique<SbValueView>(v, m_path);
}

std::optional<uint64_t> SbValueView::unsigned_value() const {
  lldb::SBError err;
  const uint64_t v = m_value.GetValueAsUnsigned(err, 0);
  if (err.Fail()) {
    return std::nullopt;
  }
  return v;
}

std::optional<uint64_t> SbValueView::raw_bits(unsigned width_bits) const {
  auto data = m_value.GetData();
  if (!data.IsValid()) {
    return std::nullopt;
  }
  const size_t bytes = std::min<size_t>(width_bits / 8, data.GetByteSize());
  if (bytes == 0) {
    return std::nullopt;
  }
  uint64_t v = 0;
  for (size_t i = 0; i < bytes; ++i) {
    lldb::SBError err;
    const uint8_t b = data.GetUnsignedInt8(err, i);
    if (err.Fail()) {
      return std::nullopt;
    }
    v |= uint64_t{b} << (8 * i);
  }
  return v;
}

std::string SbValueView::scalar_text() const {
  auto& t = canonical();
  lldb::SBError err;
  switch (t.GetTypeClass()) {
    case lldb::eTypeClassEnumeration: {
      const char* v = m_value.GetValue();
      return v != nullptr ? v : "?";
    }
    case lldb::eTypeClassPointer:
    case lldb::eTypeClassReference:
      return fmt::format("{:#x}", m_value.GetValueAsUnsigned(0));
    default:
      break;
  }
  const auto basic = t.GetBasicType();
  if (basic == lldb::eBasicTypeBool) {
    return m_value.GetValueAsUnsigned(0) != 0 ? "true" : "false";
  }
  if (is_float_basic(basic)) {
    const char* v = m_value.GetValue();
    return v != nullptr ? v : "?";
  }
  if (is_signed_basic(basic)) {
    const int64_t v = m_value.GetValueAsSigned(err, 0);
    return err.Fail() ? "?" : std::to_string(v);
  }
  const uint64_t v = m_value.GetValueAsUnsigned(err, 0);
  if (err.Fail()) {
    const char* s = m_value.GetValue();
    return s != nullptr ? s : "?";
  }
  // Never a character: bytes print as numbers, larger values also in hex.
  return v > 9 ? fmt::format("{} ({:#x})", v, v) : std::to_string(v);
}

uint64_t SbValueView::address() const {
  const auto a = m_value.GetLoadAddress();
  return a == LLDB_INVALID_ADDRESS ? 0 : a;
}

std::string SbValueView::error() const {
  if (!m_value.IsValid()) {
    return "invalid value";
  }
  auto e = m_value.GetError();
  if (e.Fail()) {
    const char* s = e.GetCString();
    return s != nullptr ? s : "unreadable";
  }
  return {};
}

}  // namespace triage::debugger
