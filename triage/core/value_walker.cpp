#include "triage/core/value_walker.hpp"

#include <fmt/format.h>

#include "triage/core/glob.hpp"

namespace triage::core {
namespace {

std::string last_component(std::string_view type_name) {
  std::string bare = bare_type_name(type_name);
  // Drop template arguments at the end, then keep what follows the last "::".
  int depth = 0;
  std::string no_templates;
  for (char c : bare) {
    if (c == '<') {
      ++depth;
    } else if (c == '>') {
      --depth;
    } else if (depth == 0) {
      no_templates += c;
    }
  }
  const auto pos = no_templates.rfind("::");
  return pos == std::string::npos ? no_templates : no_templates.substr(pos + 2);
}

bool is_vector_strategy(WrapperStrategy s) {
  return s == WrapperStrategy::libstdcxx_vector || s == WrapperStrategy::rust_vec;
}

}  // namespace

std::unique_ptr<ValueView> follow_path(const ValueView& value, const MemberPath& path) {
  std::unique_ptr<ValueView> cur;
  const ValueView* at = &value;
  for (const auto& step : path) {
    std::unique_ptr<ValueView> next;
    switch (step.kind) {
      case PathStep::Kind::member:
        next = at->member(step.name);
        break;
      case PathStep::Kind::child_index:
        next = step.index < at->num_children() ? at->child_at(step.index) : nullptr;
        break;
      case PathStep::Kind::deref:
        next = at->dereference();
        break;
    }
    if (!next) {
      return nullptr;
    }
    cur = std::move(next);
    at = cur.get();
  }
  return cur;
}

bool ValueWalker::apply_rule(const WrapperRule& rule, const ValueView& value, Unwrapped& out) const {
  auto collect_facts = [&] {
    for (const auto& [fact, path] : rule.facts) {
      // A fact the layout does not have (another library version) is left out, not shown as "?".
      if (auto fv = follow_path(value, path); fv && fv->error().empty()) {
        out.facts.emplace_back(fmt::format("{}.{}", rule.name, fact), fv->scalar_text());
      }
    }
  };
  switch (rule.strategy) {
    case WrapperStrategy::path: {
      collect_facts();
      if (!rule.present.empty()) {
        auto present = follow_path(value, rule.present);
        if (present && present->unsigned_value() == uint64_t{0}) {
          out.value = nullptr;
          out.empty_reason = "none";
          return true;
        }
      }
      auto inner = follow_path(value, rule.inner);
      if (!inner) {
        out.value = nullptr;
        out.empty_reason = "unreadable";
        return true;
      }
      if (inner->is_pointer()) {
        if (inner->unsigned_value().value_or(0) == 0) {
          out.value = nullptr;
          out.empty_reason = "null";
          return true;
        }
        auto pointee = inner->dereference();
        if (!pointee) {
          out.value = nullptr;
          out.empty_reason = "unreadable";
          return true;
        }
        inner = std::move(pointee);
      }
      out.owned = std::move(inner);
      out.value = out.owned.get();
      return true;
    }
    case WrapperStrategy::leaf:
      collect_facts();
      out.value = nullptr;
      out.empty_reason = "";
      return true;
    case WrapperStrategy::libstdcxx_variant: {
      auto index = value.member("_M_index");
      auto storage = value.member("_M_u");
      if (!index || !storage) {
        return false;
      }
      const uint64_t idx = index->unsigned_value().value_or(~uint64_t{0});
      if (idx >= 64) {  // variant_npos in any index width
        out.value = nullptr;
        out.empty_reason = "valueless";
        return true;
      }
      std::unique_ptr<ValueView> node = std::move(storage);
      for (uint64_t i = 0; i < idx && node; ++i) {
        node = node->member("_M_rest");
      }
      if (node) {
        node = node->member("_M_first");
      }
      if (node) {
        node = node->member("_M_storage");
      }
      if (node && glob_match("__gnu_cxx::__aligned_membuf<*>", bare_type_name(node->type_name()))) {
        node = node->as_template_arg(0);
      }
      if (!node) {
        out.value = nullptr;
        out.empty_reason = "unreadable";
        return true;
      }
      out.variant = fmt::format("{}#{}", last_component(node->type_name()), idx);
      out.owned = std::move(node);
      out.value = out.owned.get();
      return true;
    }
    case WrapperStrategy::rust_enum: {
      auto variants = value.member("$variants$");
      if (!variants || variants->num_children() == 0) {
        return false;
      }
      auto first = variants->child_at(0);
      auto discr_value = first ? first->member("$discr$") : nullptr;
      std::unique_ptr<ValueView> chosen;
      if (discr_value) {
        if (const auto d = discr_value->unsigned_value()) {
          chosen = variants->member(fmt::format("$variant${}", *d));
        }
      }
      if (!chosen) {
        chosen = variants->member("$variant$");
      }
      if (!chosen && variants->num_children() == 1) {
        chosen = variants->child_at(0);
      }
      auto payload = chosen ? chosen->member("value") : nullptr;
      if (!payload) {
        out.value = nullptr;
        out.empty_reason = "unknown variant";
        return true;
      }
      std::string name = last_component(payload->type_name());
      // LLDB names the variant types of a Rust enum with their bit offset: "None:64", "Idle:8".
      if (const auto colon = name.rfind(':'); colon != std::string::npos && colon + 1 < name.size() &&
                                              name.find_first_not_of("0123456789", colon + 1) == std::string::npos) {
        name.erase(colon);
      }
      out.variant = name;
      if (payload->num_children() == 0) {
        out.value = nullptr;
        out.empty_reason = name;
        return true;
      }
      if (payload->num_children() == 1) {
        if (auto only = payload->member("__0")) {
          out.owned = std::move(only);
          out.value = out.owned.get();
          return true;
        }
      }
      out.owned = std::move(payload);
      out.value = out.owned.get();
      return true;
    }
    case WrapperStrategy::libstdcxx_vector:
    case WrapperStrategy::rust_vec:
      return false;
  }
  return false;
}

Unwrapped ValueWalker::unwrap(const ValueView& value, bool follow_pointers) const {
  Unwrapped u;
  u.value = &value;
  auto replace = [&u](std::unique_ptr<ValueView> next) {
    u.owned = std::move(next);
    u.value = u.owned.get();
  };
  for (unsigned chain = 0; chain < m_limits.max_wrapper_chain && u.value != nullptr; ++chain) {
    std::string type = u.value->type_name();
    if (!u.value->is_pointer() && (m_schemas.register_for_type(type) || m_schemas.device_for_type(type))) {
      break;
    }
    bool applied = false;
    bool is_vector = false;
    auto try_rules = [&](const std::string& type_name) {
      for (const WrapperRule* rule : m_rules.candidates(type_name)) {
        if (is_vector_strategy(rule->strategy)) {
          is_vector = true;
          return;
        }
        Unwrapped step;
        if (!apply_rule(*rule, *u.value, step)) {
          continue;
        }
        // A Rust enum is named by its variant in the chain ("Some", "Hard"), other wrappers by the rule.
        const bool named_by_variant = rule->strategy == WrapperStrategy::rust_enum && !step.variant.empty();
        u.wrappers.push_back(named_by_variant ? step.variant : rule->name);
        u.facts.insert(u.facts.end(), step.facts.begin(), step.facts.end());
        if (!step.variant.empty()) {
          u.variant = step.variant;
        }
        u.empty_reason = step.empty_reason;
        if (step.value == nullptr) {
          u.owned.reset();
          u.value = nullptr;
        } else {
          replace(std::move(step.owned));
        }
        applied = true;
        return;
      }
    };
    try_rules(type);
    if (!applied && !is_vector && u.value != nullptr && !u.value->is_pointer()) {
      // A typedef of a wrapper or a device (`using IdeDevice = CloseableMutex<IdeController>`): LLDB
      // names the typedef, the rules and schemas name what it stands for.
      const std::string canonical = u.value->canonical_type_name();
      if (canonical != type) {
        if (m_schemas.register_for_type(canonical) || m_schemas.device_for_type(canonical)) {
          break;
        }
        try_rules(canonical);
      }
    }
    if (is_vector) {
      break;
    }
    if (applied) {
      continue;
    }
    if (follow_pointers && u.value->is_pointer()) {
      if (u.value->unsigned_value().value_or(0) == 0) {
        u.owned.reset();
        u.value = nullptr;
        u.empty_reason = "null";
        break;
      }
      auto pointee = u.value->dereference();
      if (!pointee) {
        u.owned.reset();
        u.value = nullptr;
        u.empty_reason = "unreadable";
        break;
      }
      replace(std::move(pointee));
      continue;
    }
    break;
  }
  return u;
}

DumpedValue ValueWalker::walk(const ValueView& value, const std::string& name) {
  m_nodes = 0;
  m_visited.clear();
  return walk_node(value, name, 0);
}

DumpedValue ValueWalker::walk_node(const ValueView& value, const std::string& name, unsigned depth) {
  DumpedValue out;
  out.name = name;
  out.type = value.type_name();
  out.lldb_path = value.expression_path();
  if (++m_nodes > m_limits.max_nodes) {
    out.value = "<node limit reached>";
    return out;
  }
  Unwrapped u = unwrap(value);
  out.wrappers = std::move(u.wrappers);
  out.facts = std::move(u.facts);
  if (!u.value) {
    out.value = u.empty_reason;
    return out;
  }
  const ValueView& v = *u.value;
  out.type = v.type_name();
  out.lldb_path = v.expression_path();
  if (const std::string err = v.error(); !err.empty()) {
    out.value = "<" + err + ">";
    return out;
  }
  if (const auto binding = m_schemas.register_for_type(out.type)) {
    out.raw = v.raw_bits(binding->reg->width_bits);
    out.register_name = binding->reg->name;
    out.schema_device = binding->device->device;
    out.value = out.raw ? fmt::format("{:#04x}", *out.raw) : "<unreadable>";
    return out;
  }
  for (const WrapperRule* rule : m_rules.candidates(out.type)) {
    if (is_vector_strategy(rule->strategy) && walk_vector(v, *rule, out, depth)) {
      return out;
    }
  }
  if (v.is_scalar()) {
    out.value = v.scalar_text();
    out.raw = v.unsigned_value();
    if (!u.variant.empty()) {
      out.value = fmt::format("{}({})", u.variant, out.value);
    }
    return out;
  }
  if (!u.variant.empty()) {
    out.value = u.variant;
  }
  if (depth >= m_limits.max_depth) {
    out.value += out.value.empty() ? "{...}" : " {...}";
    return out;
  }
  if (const uint64_t addr = v.address(); addr != 0 && !m_visited.emplace(addr, out.type).second) {
    out.value += out.value.empty() ? "<shown above>" : " <shown above>";
    return out;
  }
  walk_members(v, out, depth + 1);
  return out;
}

void ValueWalker::walk_members(const ValueView& value, DumpedValue& out, unsigned depth) {
  const size_t n = value.num_children();
  if (value.is_array() && n > 0) {
    auto first = value.child_at(0);
    if (first && first->is_scalar() && n > m_limits.max_scalar_elements) {
      std::string text = fmt::format("[{}] {{", n);
      for (size_t i = 0; i < m_limits.max_scalar_elements; ++i) {
        auto e = value.child_at(i);
        text += (i ? ", " : "") + (e ? e->scalar_text() : std::string("?"));
      }
      out.value = text + ", ...}";
      return;
    }
  }
  const size_t shown = std::min<size_t>(n, m_limits.max_children);
  for (size_t i = 0; i < shown; ++i) {
    auto child = value.child_at(i);
    if (!child) {
      continue;
    }
    if (child->is_base_class()) {
      walk_members(*child, out, depth);
      continue;
    }
    std::string child_name = value.is_array() ? fmt::format("[{}]", i) : child->name();
    if (child_name.empty() || child_name.starts_with("_vptr")) {
      continue;
    }
    out.children.push_back(walk_node(*child, child_name, depth));
  }
  if (n > shown) {
    out.children.push_back(DumpedValue{fmt::format("[+{} more]", n - shown), "", "", "", std::nullopt, "", "", {}, {}, {}});
  }
}

bool ValueWalker::walk_vector(const ValueView& value, const WrapperRule& rule, DumpedValue& out, unsigned depth) {
  auto data = follow_path(value, rule.data);
  if (!data) {
    return false;
  }
  const std::optional<size_t> template_arg =
      rule.strategy == WrapperStrategy::rust_vec ? std::optional<size_t>{0} : std::nullopt;
  const ValueView* owner = rule.strategy == WrapperStrategy::rust_vec ? &value : nullptr;
  uint64_t count = 0;
  if (rule.strategy == WrapperStrategy::rust_vec) {
    auto len = follow_path(value, rule.len);
    count = len ? len->unsigned_value().value_or(0) : 0;
  } else {
    auto end = follow_path(value, rule.end);
    const uint64_t begin_addr = data->unsigned_value().value_or(0);
    const uint64_t end_addr = end ? end->unsigned_value().value_or(0) : 0;
    if (begin_addr != 0 && end_addr > begin_addr) {
      auto e0 = data->pointer_element(0);
      auto e1 = data->pointer_element(1);
      const uint64_t size = (e0 && e1 && e1->address() > e0->address()) ? e1->address() - e0->address() : 0;
      count = size ? (end_addr - begin_addr) / size : 0;
    }
  }
  out.wrappers.push_back(rule.name);
  out.value = fmt::format("len={}", count);
  if (count == 0 || data->unsigned_value().value_or(0) == 0) {
    return true;
  }
  // A ring buffer's element i sits in slot (start + i) mod capacity.
  uint64_t start = 0;
  uint64_t slots = 0;
  if (!rule.start.empty()) {
    auto s = follow_path(value, rule.start);
    auto c = follow_path(value, rule.capacity);
    start = s ? s->unsigned_value().value_or(0) : 0;
    slots = c ? c->unsigned_value().value_or(0) : 0;
  }
  auto slot = [&](uint64_t i) { return slots != 0 ? (start + i) % slots : start + i; };
  auto first = data->pointer_element(slot(0), owner, template_arg);
  const bool scalar = first && first->is_scalar();
  const uint64_t shown = std::min<uint64_t>(count, scalar ? m_limits.max_scalar_elements : m_limits.max_children);
  if (scalar) {
    std::string text = fmt::format("len={} {{", count);
    for (uint64_t i = 0; i < shown; ++i) {
      auto e = data->pointer_element(slot(i), owner, template_arg);
      text += (i ? ", " : "") + (e ? e->scalar_text() : std::string("?"));
    }
    out.value = text + (count > shown ? ", ...}" : "}");
    return true;
  }
  for (uint64_t i = 0; i < shown; ++i) {
    if (auto e = data->pointer_element(slot(i), owner, template_arg)) {
      out.children.push_back(walk_node(*e, fmt::format("[{}]", i), depth + 1));
    }
  }
  return true;
}

}  // namespace triage::core
