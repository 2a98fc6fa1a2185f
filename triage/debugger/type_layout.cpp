#include "triage/debugger/type_layout.hpp"

#include <lldb/API/SBTypeEnumMember.h>

#include "triage/debugger/basic_types.hpp"

namespace triage::debugger {
namespace {

std::string name_of(lldb::SBType& t) {
  const char* n = t.GetName();
  return n != nullptr ? n : "";
}

/// LLDB leaves base classes without data out of a value's children (and so do we).
bool has_data(lldb::SBType type, unsigned depth = 0) {
  lldb::SBType t = type.GetCanonicalType();
  if (t.GetNumberOfFields() > 0 || t.GetNumberOfVirtualBaseClasses() > 0 || depth > 32) {
    return true;
  }
  for (uint32_t i = 0; i < t.GetNumberOfDirectBaseClasses(); ++i) {
    if (has_data(t.GetDirectBaseClassAtIndex(i).GetType(), depth + 1)) {
      return true;
    }
  }
  return false;
}

/// Element and pointee types as declared (`uint8_t`, not `unsigned char`): LLDB names a child by the
/// type written in the source. A typedef of a pointer or array has none: then the canonical one.
lldb::SBType declared_or_canonical(lldb::SBType declared, lldb::SBType canonical) {
  return declared.IsValid() ? declared : canonical;
}

}  // namespace

const TypeLayout* TypeLayoutCache::get(lldb::SBType type) {
  if (!type.IsValid()) {
    return nullptr;
  }
  const std::string name = name_of(type);
  auto& laid = m_by_name[name];
  for (const auto& l : laid) {
    if (l->type == type) {
      return l.get();
    }
  }
  auto& unlaid = m_unlaid[name];
  for (auto& t : unlaid) {
    if (t == type) {
      return nullptr;
    }
  }
  auto built = build(type);
  if (!built) {
    unlaid.push_back(type);
    return nullptr;
  }
  laid.push_back(std::move(built));
  return laid.back().get();
}

const TypeLayout* TypeLayoutCache::of(const MemberLayout& member) {
  if (!member.layout) {
    member.layout = get(member.type);
  }
  return *member.layout;
}

const TypeLayout* TypeLayoutCache::element_of(const TypeLayout& layout) {
  if (!layout.element_layout) {
    layout.element_layout = get(layout.element);
  }
  return *layout.element_layout;
}

std::unique_ptr<TypeLayout> TypeLayoutCache::build(lldb::SBType type) {
  using Kind = TypeLayout::Kind;
  auto l = std::make_unique<TypeLayout>();
  l->type = type;
  l->name = name_of(type);
  lldb::SBType canon = type.GetCanonicalType();
  if (!canon.IsValid() || !canon.IsTypeComplete()) {
    return nullptr;
  }
  l->canonical_name = name_of(canon);
  l->byte_size = canon.GetByteSize();
  switch (canon.GetTypeClass()) {
    case lldb::eTypeClassBuiltin: {
      const lldb::BasicType basic = canon.GetBasicType();
      if (basic == lldb::eBasicTypeBool) {
        l->kind = Kind::boolean;
      } else if (is_float_basic(basic)) {
        l->kind = Kind::floating;
      } else if (l->byte_size >= 1 && l->byte_size <= 8 && basic != lldb::eBasicTypeVoid) {
        l->kind = Kind::integer;
        l->is_signed = is_signed_basic(basic);
      } else {
        return nullptr;  // 128-bit integers, void, ...
      }
      break;
    }
    case lldb::eTypeClassEnumeration: {
      l->kind = Kind::enumeration;
      l->is_signed = is_signed_basic(canon.GetEnumerationIntegerType().GetCanonicalType().GetBasicType());
      lldb::SBTypeEnumMemberList list = canon.GetEnumMembers();
      for (uint32_t i = 0; i < list.GetSize(); ++i) {
        lldb::SBTypeEnumMember m = list.GetTypeEnumMemberAtIndex(i);
        const char* n = m.GetName();
        l->enumerators.emplace_back(m.GetValueAsUnsigned(), n != nullptr ? n : "");
      }
      if (l->byte_size < 1 || l->byte_size > 8) {
        return nullptr;
      }
      break;
    }
    case lldb::eTypeClassPointer: {
      l->kind = Kind::pointer;
      l->element = declared_or_canonical(type.GetPointeeType(), canon.GetPointeeType());
      lldb::SBType pointee = l->element.GetCanonicalType();
      l->scalar_pointer =
          pointee.GetBasicType() == lldb::eBasicTypeVoid || pointee.GetTypeClass() == lldb::eTypeClassFunction;
      break;
    }
    case lldb::eTypeClassReference:
      l->kind = Kind::reference;
      l->element = declared_or_canonical(type.GetDereferencedType(), canon.GetDereferencedType());
      break;
    case lldb::eTypeClassArray: {
      l->kind = Kind::array;
      l->element = declared_or_canonical(type.GetArrayElementType(), canon.GetArrayElementType());
      const uint64_t element_size = l->element.GetByteSize();
      if (element_size == 0) {
        return nullptr;
      }
      l->element_count = l->byte_size / element_size;
      break;
    }
    case lldb::eTypeClassStruct:
    case lldb::eTypeClassClass:
    case lldb::eTypeClassUnion: {
      l->kind = Kind::record;
      if (canon.GetNumberOfVirtualBaseClasses() > 0) {
        return nullptr;  // their offsets live in the object's vtable
      }
      for (uint32_t i = 0; i < canon.GetNumberOfDirectBaseClasses(); ++i) {
        lldb::SBTypeMember b = canon.GetDirectBaseClassAtIndex(i);
        lldb::SBType bt = b.GetType();
        if (has_data(bt)) {
          l->members.push_back(MemberLayout{name_of(bt), b.GetOffsetInBits(), 0, true, bt, std::nullopt});
        }
      }
      for (uint32_t i = 0; i < canon.GetNumberOfFields(); ++i) {
        lldb::SBTypeMember f = canon.GetFieldAtIndex(i);
        if (f.IsBitfield()) {
          // Only integers are bitfields in C++. LLDB marks the payloads of Rust enum variants as
          // bitfields of their whole size and reads them its own way: leave such types to it.
          const auto cls = f.GetType().GetCanonicalType().GetTypeClass();
          if (cls != lldb::eTypeClassBuiltin && cls != lldb::eTypeClassEnumeration) {
            return nullptr;
          }
        }
        const char* n = f.GetName();
        l->members.push_back(MemberLayout{n != nullptr ? n : "", f.GetOffsetInBits(),
                                          f.IsBitfield() ? f.GetBitfieldSizeInBits() : 0, false, f.GetType(), std::nullopt});
      }
      break;
    }
    default:
      return nullptr;
  }
  if (l->byte_size == 0 && l->kind != Kind::record) {
    return nullptr;
  }
  return l;
}

}  // namespace triage::debugger
