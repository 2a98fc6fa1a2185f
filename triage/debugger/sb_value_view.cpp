#include "triage/debugger/sb_value_view.hpp"

#include <lldb/API/SBData.h>
#include <lldb/API/SBError.h>
#include <lldb/API/SBType.h>

#include <fmt/format.h>

namespace triage::debugger {
namespace {

lldb::SBValue raw(lldb::SBValue v) {
  if (v.IsValid() && v.IsSynthetic()) {
    return v.GetNonSyntheticValue();
  }
  return v;
}

bool is_signed_basic(lldb::BasicType t) {
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

bool is_float_basic(lldb::BasicType t) {
  return t == lldb::eBasicTypeFloat || t == lldb::eBasicTypeDouble || t == lldb::eBasicTypeLongDouble ||
         t == lldb::eBasicTypeHalf;
}

}  // namespace

SbValueView::SbValueView(lldb::SBValue value, core::ExpressionPath path, bool base_class)
    : m_value(raw(std::move(value))), m_path(std::move(path)), m_base_class(base_class) {}

std::string SbValueView::name() const {
  const char* n = m_value.GetName();
  return n != nullptr ? n : "";
}

std::string SbValueView::type_name() const {
  const char* n = m_value.GetTypeName();
  return n != nullptr ? n : "";
}

std::string SbValueView::canonical_type_name() const {
  const char* n = m_value.GetType().GetCanonicalType().GetName();
  return n != nullptr ? n : type_name();
}

bool SbValueView::is_pointer() const {
  auto t = m_value.GetType();
  return t.IsPointerType() || t.IsReferenceType();
}

bool SbValueView::is_array() const { return m_value.GetType().GetCanonicalType().IsArrayType(); }

bool SbValueView::is_scalar() const {
  auto t = m_value.GetType().GetCanonicalType();
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

size_t SbValueView::num_children() const { return m_value.GetNumChildren(); }

std::unique_ptr<core::ValueView> SbValueView::child_at(size_t index) const {
  auto c = m_value.GetChildAtIndex(static_cast<uint32_t>(index));
  if (!c.IsValid()) {
    return nullptr;
  }
  // A base-class subobject, when the child's type is one of the bases (LLDB omits empty bases, so the
  // child index alone does not tell).
  auto t = m_value.GetType().GetCanonicalType();
  bool base = false;
  if (!is_array()) {
    const std::string child_type = c.GetType().GetCanonicalType().GetName();
    for (uint32_t b = 0; b < t.GetNumberOfDirectBaseClasses() && !base; ++b) {
      base = child_type == t.GetDirectBaseClassAtIndex(b).GetType().GetCanonicalType().GetName();
    }
    for (uint32_t b = 0; b < t.GetNumberOfVirtualBaseClasses() && !base; ++b) {
      base = child_type == t.GetVirtualBaseClassAtIndex(b).GetType().GetCanonicalType().GetName();
    }
  }
  core::ExpressionPath p;
  if (base) {
    p = m_path.base();
  } else if (is_array()) {
    p = m_path.element(index);
  } else {
    const char* n = c.GetName();
    p = m_path.member(n != nullptr ? n : "");
  }
  return std::make_unique<SbValueView>(c, std::move(p), base);
}

std::unique_ptr<core::ValueView> SbValueView::member(std::string_view name) const {
  const std::string n(name);
  auto c = m_value.GetChildMemberWithName(n.c_str());
  if (!c.IsValid()) {
    return nullptr;
  }
  return std::make_unique<SbValueView>(c, m_path.member(name));
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
    auto elem = o->m_value.GetType().GetCanonicalType().GetTemplateArgumentType(static_cast<uint32_t>(*template_arg));
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
  return std::make_unique<SbValueView>(c, m_path.element(index));
}

std::unique_ptr<core::ValueView> SbValueView::as_template_arg(size_t index) const {
  auto t = m_value.GetType().GetCanonicalType().GetTemplateArgumentType(static_cast<uint32_t>(index));
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
  auto t = m_value.GetType().GetCanonicalType();
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
