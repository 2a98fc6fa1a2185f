#include "triage/debugger/device_roots.hpp"

#include "triage/core/glob.hpp"
#include "triage/core/symbol_name.hpp"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <lldb/API/SBFrame.h>
#include <lldb/API/SBModule.h>
#include <lldb/API/SBType.h>
#include <lldb/API/SBValue.h>
#include <lldb/API/SBValueList.h>

#include "triage/core/value_walker.hpp"
#include "triage/debugger/memory_value_view.hpp"
#include "triage/debugger/sb_value_view.hpp"

namespace triage::debugger {
namespace {

constexpr uint32_t k_frames_searched = 48;
constexpr uint32_t k_max_globals = 4096;

}  // namespace

void DeviceRootFinder::load_global_names(lldb::SBTarget& target) {
  m_global_names_loaded = true;
  // Only the main executable's globals with debug info; cached per target (names and static types do
  // not change between runs, values do).
  lldb::SBModule exe = target.GetModuleAtIndex(0);
  lldb::SBValueList globals = target.FindGlobalVariables(".", k_max_globals, lldb::eMatchTypeRegex);
  std::set<std::string> seen;
  for (uint32_t i = 0; i < globals.GetSize(); ++i) {
    lldb::SBValue g = globals.GetValueAtIndex(i);
    const char* name = g.GetName();
    if (name == nullptr || !seen.insert(name).second) {
      continue;
    }
    if (g.GetType().GetCanonicalType().GetTypeClass() == lldb::eTypeClassBuiltin) {
      continue;
    }
    if (exe.IsValid() && !(g.GetAddress().GetModule() == exe)) {
      continue;
    }
    m_globals.push_back(GlobalVariable{name, g.GetAddress(), g.GetType(), std::nullopt});
  }
}

std::vector<core::DeviceRoot> DeviceRootFinder::find(lldb::SBTarget& target, lldb::SBThread& thread,
                                                     const std::vector<std::string>& extra_roots) {
  core::ValueWalker walker(*m_rules, *m_schemas);
  MemoryImage memory(thread.GetProcess());
  WalkContext context{&m_layouts, &memory, target};
  std::vector<core::DeviceRoot> roots;
  std::set<uint64_t> seen_addresses;

  auto consider_view = [&](std::unique_ptr<core::ValueView> view_ptr, const std::string& path,
                           const std::string& origin, std::optional<uint32_t> frame, bool forced) {
    const core::ValueView& view = *view_ptr;
    core::Unwrapped u = walker.unwrap(view);
    if (u.value == nullptr || !u.value->error().empty()) {
      return;
    }
    const core::DeviceSchema* device = m_schemas->device_for_type(u.value->type_name());
    if (device == nullptr) {
      device = m_schemas->device_for_type(u.value->canonical_type_name());
    }
    if (device == nullptr && !forced) {
      return;
    }
    const uint64_t addr = u.value->address();
    if (addr != 0 && !seen_addresses.insert(addr).second) {
      return;
    }
    core::DeviceRoot root;
    root.device = device != nullptr ? device->device : "";
    root.origin = origin;
    root.frame = frame;
    root.value = walker.walk(view, path);
    roots.push_back(std::move(root));
  };
  auto consider = [&](lldb::SBValue var, const std::string& path, const std::string& origin,
                      std::optional<uint32_t> frame, bool forced) {
    if (!var.IsValid()) {
      return;
    }
    var.SetPreferSyntheticValue(false);  // raw members only
    if (var.GetError().Fail()) {
      return;
    }
    consider_view(m_sbvalue_walk ? std::make_unique<SbValueView>(var, core::ExpressionPath(path))
                                 : make_value_view(context, var, core::ExpressionPath(path)),
                  path, origin, frame, forced);
  };

  for (uint32_t i = 0; i < k_frames_searched; ++i) {
    lldb::SBFrame frame = thread.GetFrameAtIndex(i);
    if (!frame.IsValid()) {
      break;
    }
    if (i == 0) {
      for (const auto& expr : extra_roots) {
        lldb::SBValue v = frame.GetValueForVariablePath(expr.c_str());
        if (!v.IsValid() || v.GetError().Fail()) {
          v = frame.EvaluateExpression(expr.c_str());
        }
        consider(v, expr, "--root", 0u, true);
      }
    }
    lldb::SBValueList vars = frame.GetVariables(true, true, false, true, lldb::eNoDynamicValues);
    const char* fn = frame.GetDisplayFunctionName();
    // The function as signatures name it: no arguments, no Rust hash ("::hd3f39763ffc6d329").
    const std::string origin = fmt::format("frame #{} {}", i, fn != nullptr ? core::normalize_function_name(fn) : "?");
    for (uint32_t v = 0; v < vars.GetSize(); ++v) {
      lldb::SBValue var = vars.GetValueAtIndex(v);
      // Before any other call: every SBValue getter would otherwise first build LLDB's synthetic view
      // of the value, which for libstdc++ containers runs Python formatters (most of the walk's time).
      var.SetPreferSyntheticValue(false);
      const char* name = var.GetName();
      if (name == nullptr) {
        continue;
      }
      consider(var, name, origin, i, false);
    }
  }
  if (!m_global_names_loaded) {
    load_global_names(target);
  }
  for (auto& g : m_globals) {
    // Its address and type do not change between runs of one target: no lookup by name per run.
    if (!g.layout) {
      g.layout = m_layouts.get(g.type);
    }
    const auto load = g.address.GetLoadAddress(target);
    if (*g.layout != nullptr && !m_sbvalue_walk && load != LLDB_INVALID_ADDRESS) {
      consider_view(std::make_unique<MemoryValueView>(context, **g.layout, load, g.name, core::ExpressionPath(g.name)),
                    g.name, "global", std::nullopt, false);
    } else {
      consider(target.FindFirstGlobalVariable(g.name.c_str()), g.name, "global", std::nullopt, false);
    }
  }
  return roots;
}

std::optional<core::FuzzAction> DeviceRootFinder::find_action(lldb::SBTarget& target, lldb::SBThread& thread) {
  if (m_rules->actions().empty()) {
    return std::nullopt;
  }
  core::ValueWalker walker(*m_rules, *m_schemas);
  MemoryImage memory(thread.GetProcess());
  WalkContext context{&m_layouts, &memory, target};
  // The path's value in the first frame (innermost first) of a matching function where it resolves.
  auto lookup = [&](const core::ActionRule& rule, const std::string& path, uint32_t* at) -> lldb::SBValue {
    for (uint32_t i = 0; i < k_frames_searched; ++i) {
      lldb::SBFrame frame = thread.GetFrameAtIndex(i);
      if (!frame.IsValid()) {
        break;
      }
      const char* fn = frame.GetDisplayFunctionName();
      const std::string name = fn != nullptr ? core::normalize_function_name(fn) : "";
      if (std::none_of(rule.frames.begin(), rule.frames.end(),
                       [&](const std::string& g) { return core::glob_match(g, name); })) {
        continue;
      }
      lldb::SBValue v = frame.GetValueForVariablePath(path.c_str(), lldb::eNoDynamicValues);
      if (v.IsValid() && v.GetError().Success()) {
        v.SetPreferSyntheticValue(false);
        if (at != nullptr) {
          *at = i;
        }
        return v;
      }
    }
    return {};
  };
  // The first rule whose paths all resolve; failing that, the first whose value does (a harness
  // that does not count, or a build that optimised the counter away).
  std::optional<core::FuzzAction> partial;
  for (const auto& rule : m_rules->actions()) {
    uint32_t frame = 0;
    lldb::SBValue v = lookup(rule, rule.value, &frame);
    if (!v.IsValid()) {
      continue;
    }
    core::FuzzAction action;
    action.rule = rule.name;
    action.frame = frame;
    const char* fn = thread.GetFrameAtIndex(frame).GetDisplayFunctionName();
    action.function = fn != nullptr ? core::normalize_function_name(fn) : "";
    auto view = m_sbvalue_walk ? std::make_unique<SbValueView>(v, core::ExpressionPath(rule.value))
                               : make_value_view(context, v, core::ExpressionPath(rule.value));
    action.value = walker.walk(*view, rule.value);
    if (!rule.index.empty()) {
      if (lldb::SBValue index = lookup(rule, rule.index, nullptr); index.IsValid() && index.GetError().Success()) {
        action.index = index.GetValueAsUnsigned(0);
      }
    }
    if (rule.index.empty() || action.index) {
      return action;
    }
    if (!partial) {
      partial = std::move(action);
    }
  }
  return partial;
}

}  // namespace triage::debugger
