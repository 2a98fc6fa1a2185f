#pragma once
// Walks a value through wrapper types down to the device state, producing a DumpedValue tree with an
// lldb expression path on every node and registers kept as raw bits for decoding. Limits on depth,
// children and nodes, and cycle detection by address, keep a corrupt heap from hanging the tool.
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "triage/core/register_schema.hpp"
#include "triage/core/snapshot.hpp"
#include "triage/core/value_view.hpp"
#include "triage/core/wrapper_rules.hpp"

namespace triage::core {

struct WalkLimits {
  unsigned max_depth = 14;           ///< nesting of members (wrappers do not count)
  unsigned max_children = 64;        ///< members/elements shown per node
  unsigned max_scalar_elements = 16; ///< elements shown of an array of scalars
  unsigned max_nodes = 4000;         ///< per root
  unsigned max_wrapper_chain = 24;   ///< wrappers seen through in a row
};

/// A value with the wrappers it was reached through.
struct Unwrapped {
  const ValueView* value = nullptr;  ///< the innermost value; null when a wrapper holds nothing
  std::unique_ptr<ValueView> owned;  ///< keeps `value` alive when it is not the value passed in
  std::vector<std::string> wrappers;
  std::vector<std::pair<std::string, std::string>> facts;
  std::string empty_reason;  ///< "null", "None", "nullopt", "valueless" when value is null
  std::string variant;       ///< the enum variant / alternative name, when a sum type was crossed
};

class ValueWalker {
 public:
  ValueWalker(const WrapperRules& rules, const SchemaSet& schemas, WalkLimits limits = {})
      : m_rules(rules), m_schemas(schemas), m_limits(limits) {}

  /// Sees through wrappers (and plain pointers when `follow_pointers`) without descending into members.
  Unwrapped unwrap(const ValueView& value, bool follow_pointers = true) const;

  /// Dumps `value` (named `name`) with all its members.
  DumpedValue walk(const ValueView& value, const std::string& name);

 private:
  DumpedValue walk_node(const ValueView& value, const std::string& name, unsigned depth);
  void walk_members(const ValueView& value, DumpedValue& out, unsigned depth);
  bool walk_vector(const ValueView& value, const WrapperRule& rule, DumpedValue& out, unsigned depth);
  /// Applies one rule; returns false when a structural rule does not fit this value.
  bool apply_rule(const WrapperRule& rule, const ValueView& value, Unwrapped& out) const;

  const WrapperRules& m_rules;
  const SchemaSet& m_schemas;
  WalkLimits m_limits;
  unsigned m_nodes = 0;
  std::set<std::pair<uint64_t, std::string>> m_visited;
};

/// Follows a member path from `value`.
std::unique_ptr<ValueView> follow_path(const ValueView& value, const MemberPath& path);

}  // namespace triage::core
