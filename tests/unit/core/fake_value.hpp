#pragma once
// An in-memory ValueView for walker tests: a tree of nodes shaped like LLDB's raw SBValue children.
#include <memory>
#include <string>
#include <vector>

#include "triage/core/value_view.hpp"

namespace triage::core::testing {

struct Node {
  enum class Kind { record, pointer, array, scalar } kind = Kind::record;
  std::string name;
  std::string type;
  std::string canonical;  ///< canonical type when `type` is a typedef; empty: the same
  uint64_t value = 0;    ///< scalar value / pointer address
  uint64_t address = 0;  ///< where the node lives (cycle detection)
  std::string text;      ///< scalar text override (enumerators)
  bool base = false;
  std::vector<std::shared_ptr<Node>> children;
  std::shared_ptr<Node> pointee;                 ///< pointers
  std::vector<std::shared_ptr<Node>> elements;   ///< pointer_element targets (vectors)
  std::shared_ptr<Node> template_arg;            ///< as_template_arg(0)
};
using NodeP = std::shared_ptr<Node>;

inline NodeP record(std::string name, std::string type, std::vector<NodeP> children, uint64_t address = 0) {
  auto n = std::make_shared<Node>();
  n->name = std::move(name);
  n->type = std::move(type);
  n->children = std::move(children);
  n->address = address;
  return n;
}
inline NodeP base(std::string type, std::vector<NodeP> children) {
  auto n = record(type, type, std::move(children));
  n->base = true;
  return n;
}
inline NodeP scalar(std::string name, std::string type, uint64_t value, std::string text = "") {
  auto n = std::make_shared<Node>();
  n->kind = Node::Kind::scalar;
  n->name = std::move(name);
  n->type = std::move(type);
  n->value = value;
  n->text = std::move(text);
  return n;
}
inline NodeP pointer(std::string name, std::string type, NodeP target, uint64_t address = 0x1000) {
  auto n = std::make_shared<Node>();
  n->kind = Node::Kind::pointer;
  n->name = std::move(name);
  n->type = std::move(type);
  n->value = target ? address : 0;
  n->pointee = std::move(target);
  if (n->pointee && n->pointee->address == 0) {
    n->pointee->address = address;
  }
  return n;
}
inline NodeP array(std::string name, std::string type, std::vector<NodeP> elems) {
  auto n = record(std::move(name), std::move(type), std::move(elems));
  n->kind = Node::Kind::array;
  return n;
}

class FakeValue final : public ValueView {
 public:
  FakeValue(NodeP node, ExpressionPath path, bool base_class = false)
      : m_node(std::move(node)), m_path(std::move(path)), m_base(base_class) {}

  std::string name() const override { return m_node->name; }
  std::string type_name() const override { return m_node->type; }
  std::string canonical_type_name() const override {
    return m_node->canonical.empty() ? m_node->type : m_node->canonical;
  }
  std::string expression_path() const override { return m_path.text(); }
  bool is_pointer() const override { return m_node->kind == Node::Kind::pointer; }
  bool is_array() const override { return m_node->kind == Node::Kind::array; }
  bool is_scalar() const override { return m_node->kind == Node::Kind::scalar; }
  bool is_base_class() const override { return m_base; }
  size_t num_children() const override { return m_node->children.size(); }
  std::unique_ptr<ValueView> child_at(size_t i) const override {
    if (i >= m_node->children.size()) {
      return nullptr;
    }
    const auto& c = m_node->children[i];
    if (c->base) {
      return std::make_unique<FakeValue>(c, m_path.base(), true);
    }
    return std::make_unique<FakeValue>(c, is_array() ? m_path.element(i) : m_path.member(c->name));
  }
  std::unique_ptr<ValueView> member(std::string_view n) const override {
    for (const auto& c : m_node->children) {
      if (c->name == n && !c->base) {
        return std::make_unique<FakeValue>(c, m_path.member(n));
      }
      if (c->base) {
        if (auto inner = FakeValue(c, m_path.base(), true).member(n)) {
          return inner;
        }
      }
    }
    return nullptr;
  }
  std::unique_ptr<ValueView> dereference() const override {
    if (!m_node->pointee) {
      return nullptr;
    }
    return std::make_unique<FakeValue>(m_node->pointee, m_path.dereferenced());
  }
  std::unique_ptr<ValueView> pointer_element(size_t i, const ValueView*, std::optional<size_t>) const override {
    if (i >= m_node->elements.size()) {
      return nullptr;
    }
    auto e = m_node->elements[i];
    if (e->address == 0) {
      e->address = m_node->value + i * 8;
    }
    return std::make_unique<FakeValue>(e, m_path.element(i));
  }
  std::unique_ptr<ValueView> as_template_arg(size_t) const override {
    return m_node->template_arg ? std::make_unique<FakeValue>(m_node->template_arg, m_path) : nullptr;
  }
  std::optional<uint64_t> unsigned_value() const override { return m_node->value; }
  std::optional<uint64_t> raw_bits(unsigned width) const override {
    uint64_t v = m_node->kind == Node::Kind::scalar ? m_node->value
                                                    : (m_node->children.empty() ? 0 : m_node->children[0]->value);
    return width >= 64 ? v : (v & ((uint64_t{1} << width) - 1));
  }
  std::string scalar_text() const override {
    return m_node->text.empty() ? std::to_string(m_node->value) : m_node->text;
  }
  uint64_t address() const override { return m_node->address; }
  std::string error() const override { return {}; }

 private:
  NodeP m_node;
  ExpressionPath m_path;
  bool m_base;
};

}  // namespace triage::core::testing
