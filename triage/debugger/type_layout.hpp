#pragma once
// The layout of a type as LLDB sees it (size, kind, members with their offsets, element and pointee
// types, enumerators), asked of LLDB once per session. Types do not change between runs of one
// target, values do: with the layouts cached, a device walk reads the process's memory in a few
// blocks and decodes it here, instead of making LLDB build a ValueObject for every member of every
// run (~80 us per member, most of a run's walk).
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <lldb/API/SBType.h>

namespace triage::debugger {

struct TypeLayout;

struct MemberLayout {
  std::string name;         ///< empty for an anonymous struct/union member
  uint64_t offset_bits = 0;
  uint32_t bitfield_bits = 0;  ///< 0: not a bitfield
  bool is_base = false;
  lldb::SBType type;
  /// The member type's layout once looked up (null inside: none): asking LLDB for a type's name on
  /// every member access was a third of the walk.
  mutable std::optional<const TypeLayout*> layout;
};

struct TypeLayout {
  enum class Kind { integer, boolean, floating, enumeration, pointer, reference, array, record, other };

  lldb::SBType type;  ///< as declared (a typedef stays a typedef)
  std::string name;
  std::string canonical_name;
  Kind kind = Kind::other;
  uint64_t byte_size = 0;
  bool is_signed = false;
  bool scalar_pointer = false;  ///< a pointer to void or a function: printed as one token
  /// Children in LLDB's order: non-empty base classes, then fields.
  std::vector<MemberLayout> members;
  uint64_t element_count = 0;  ///< arrays
  lldb::SBType element;        ///< array element, pointee or referent
  mutable std::optional<const TypeLayout*> element_layout;  ///< as MemberLayout::layout
  std::vector<std::pair<uint64_t, std::string>> enumerators;

  bool is_scalar() const {
    return kind == Kind::integer || kind == Kind::boolean || kind == Kind::floating || kind == Kind::enumeration ||
           (kind == Kind::pointer && scalar_pointer);
  }
};

/// One per target: layouts by type. Types LLDB cannot lay out statically (virtual bases, incomplete
/// or zero-sized types) have none: their values go through SBValue as before.
class TypeLayoutCache {
 public:
  /// Null when the type has no static layout.
  const TypeLayout* get(lldb::SBType type);
  /// The same for a member's and an element's type, remembered in the layout that names it.
  const TypeLayout* of(const MemberLayout& member);
  const TypeLayout* element_of(const TypeLayout& layout);
  void clear() { m_by_name.clear(); }

 private:
  std::unique_ptr<TypeLayout> build(lldb::SBType type);
  // By name, then by identity (two types may share a name: anonymous types, or types in anonymous
  // namespaces of different translation units).
  std::map<std::string, std::vector<std::unique_ptr<TypeLayout>>> m_by_name;
  std::map<std::string, std::vector<lldb::SBType>> m_unlaid;
};

}  // namespace triage::debugger
