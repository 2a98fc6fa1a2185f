#include "triage/core/value_view.hpp"

#include <string>

namespace triage::core {

ExpressionPath ExpressionPath::member(std::string_view name) const {
  ExpressionPath out;
  if (m_is_deref) {
    out.m_path = m_path.substr(1) + "->" + std::string(name);
  } else if (m_path.empty()) {
    out.m_path = std::string(name);
  } else {
    out.m_path = m_path + "." + std::string(name);
  }
  return out;
}

ExpressionPath ExpressionPath::element(size_t index) const {
  ExpressionPath out;
  out.m_path = (m_is_deref ? "(" + m_path + ")" : m_path) + "[" + std::to_string(index) + "]";
  return out;
}

ExpressionPath ExpressionPath::dereferenced() const {
  ExpressionPath out;
  out.m_path = "*" + (m_is_deref ? "(" + m_path + ")" : m_path);
  out.m_is_deref = true;
  return out;
}

}  // namespace triage::core
