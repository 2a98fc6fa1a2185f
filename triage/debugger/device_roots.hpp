#pragma once
// Finds the device state to dump: variables (locals, arguments) of the crashing thread's frames and
// globals whose type, seen through wrappers, is a device type a schema declares; plus --root
// expressions. Each device object is dumped once (the nearest variable wins).
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <lldb/API/SBAddress.h>
#include <lldb/API/SBTarget.h>
#include <lldb/API/SBThread.h>

#include "triage/core/register_schema.hpp"
#include "triage/core/snapshot.hpp"
#include "triage/core/wrapper_rules.hpp"
#include "triage/debugger/type_layout.hpp"

namespace triage::debugger {

class DeviceRootFinder {
 public:
  DeviceRootFinder(const core::WrapperRules& rules, const core::SchemaSet& schemas)
      : m_rules(&rules), m_schemas(&schemas), m_sbvalue_walk(std::getenv("TRIAGE_SBVALUE_WALK") != nullptr) {}

  /// Walk with other knowledge from now on (a pooled session serving another request); both must
  /// outlive the next find().
  void use(const core::WrapperRules& rules, const core::SchemaSet& schemas) {
    m_rules = &rules;
    m_schemas = &schemas;
  }

  /// Forget the per-target cache (the target was recreated).
  void reset() {
    m_global_names_loaded = false;
    m_globals.clear();
    m_layouts.clear();
  }

  std::vector<core::DeviceRoot> find(lldb::SBTarget& target, lldb::SBThread& thread,
                                     const std::vector<std::string>& extra_roots);

  /// The fuzz action the harness was running, by the `[[action]]` rules of the wrapper rules.
  std::optional<core::FuzzAction> find_action(lldb::SBTarget& target, lldb::SBThread& thread);

 private:
  void load_global_names(lldb::SBTarget& target);

  const core::WrapperRules* m_rules;
  const core::SchemaSet* m_schemas;
  bool m_global_names_loaded = false;
  struct GlobalVariable {
    std::string name;
    lldb::SBAddress address;  ///< section-relative: valid for every process of the target
    lldb::SBType type;
    std::optional<const TypeLayout*> layout;
  };
  std::vector<GlobalVariable> m_globals;
  TypeLayoutCache m_layouts;  ///< types do not change between runs of one target
  /// TRIAGE_SBVALUE_WALK=1: every value through SBValue, as before the memory walk (a check on it).
  bool m_sbvalue_walk;
};

}  // namespace triage::debugger
