#pragma once
// Wrapper rules (data file triage/data/wrappers.toml, users add their own with --wrappers FILE): how to
// see through smart pointers, mutexes, cells, optionals, variants and vectors, in C++ (libstdc++) and
// Rust, down to the value they hold. Rules use raw member paths, identical across LLDB versions.
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "triage/core/error.hpp"

namespace triage::core {

enum class WrapperStrategy {
  path,               ///< follow `inner` (dereferencing a pointer at the end); `present` may say "none"
  leaf,               ///< show the facts only, do not descend (std::mutex)
  libstdcxx_variant,  ///< _M_index selects the _M_u._M_rest..._M_first._M_storage alternative
  libstdcxx_vector,   ///< elements between `data` (begin) and `end`
  rust_enum,          ///< `$variants$` / `$variant$N` / `$discr$` / `value` / `__0` (niche variants included)
  rust_vec,           ///< `len` elements at the type-erased `data` pointer, typed by template argument 0
};

/// One step of a member path: a member name, a child index (`@N`, base classes), or a dereference.
struct PathStep {
  enum class Kind { member, child_index, deref } kind = Kind::member;
  std::string name;
  size_t index = 0;
};
using MemberPath = std::vector<PathStep>;

/// Parses "ptr.pointer->data", "_M_t._M_t.@0.@1._M_head_impl", "*p".
Result<MemberPath> parse_member_path(std::string_view text);

struct WrapperRule {
  std::string name;  ///< shown in the wrapper chain: "shared_ptr", "Arc", "CloseableMutex"
  std::vector<std::string> types;
  WrapperStrategy strategy = WrapperStrategy::path;
  MemberPath inner;
  MemberPath present;  ///< optional: a bool/integer; 0 means the wrapper holds nothing
  MemberPath data;     ///< vectors: begin / data pointer
  MemberPath end;      ///< libstdc++ vector: end pointer
  MemberPath len;      ///< Rust Vec: length
  MemberPath start;     ///< ring buffers (VecDeque): the index of the first element
  MemberPath capacity;  ///< ring buffers: the slot count the index wraps at
  std::vector<std::pair<std::string, MemberPath>> facts;
};

/// Where a harness keeps the fuzz action it is running (`[[action]]` in a wrapper-rules file): the
/// value the harness decoded from the input (OpenVMM's `FuzzAction`) and, optionally, how many actions
/// it has decoded so far, the running one included. Each is a `frame variable` path looked up in the
/// crashing thread's frames whose function matches one of `frames`, innermost first.
struct ActionRule {
  std::string name;                 ///< "ide action stream"
  std::vector<std::string> frames;  ///< globs on the normalized function name
  std::string value;                ///< "action", "*action"
  std::string index;                ///< "stream.decoded"; empty when the harness does not count
};

class WrapperRules {
 public:
  void add(WrapperRule rule) { m_rules.push_back(std::move(rule)); }
  void add_action(ActionRule rule) { m_actions.push_back(std::move(rule)); }
  const std::vector<ActionRule>& actions() const { return m_actions; }
  /// User rules go first so they override the shipped ones.
  void prepend(const WrapperRules& more);
  const std::vector<WrapperRule>& rules() const { return m_rules; }
  /// Rules whose type globs match, in order (the walker tries each; structural strategies may decline).
  std::vector<const WrapperRule*> candidates(std::string_view type_name) const;

 private:
  std::vector<WrapperRule> m_rules;
  std::vector<ActionRule> m_actions;
};

Result<WrapperRules> parse_wrapper_rules(std::string_view toml_text, std::string_view origin);
Result<WrapperRules> load_wrapper_rules(const std::filesystem::path& path);

}  // namespace triage::core
