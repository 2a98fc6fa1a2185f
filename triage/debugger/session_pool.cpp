#include "triage/debugger/session_pool.hpp"

#include <algorithm>
#include <filesystem>

#include "triage/core/file_identity.hpp"

namespace triage::debugger {

core::Result<Session*> SessionPool::get(const std::string& binary, const core::WrapperRules& rules,
                                        const core::SchemaSet& schemas) {
  const std::string key = std::filesystem::absolute(binary).lexically_normal().string();
  const std::string identity = core::file_identity(key);
  ++m_clock;
  auto it = std::find_if(m_entries.begin(), m_entries.end(), [&](const Entry& e) { return e.binary == key; });
  if (it != m_entries.end() && it->identity != identity) {
    m_entries.erase(it);  // rebuilt since: its modules and breakpoints describe the old file
    it = m_entries.end();
  }
  if (it == m_entries.end()) {
    if (m_entries.size() >= m_options.max_binaries) {
      m_entries.erase(std::min_element(m_entries.begin(), m_entries.end(),
                                       [](const Entry& a, const Entry& b) { return a.last_used < b.last_used; }));
    }
    auto session = TRIAGE_TRY(Session::open(binary, rules, schemas));
    m_entries.push_back(Entry{key, identity, std::move(session), 0, m_clock});
    it = std::prev(m_entries.end());
  } else if (m_options.recreate_target_every != 0 && it->runs != 0 &&
             it->runs % m_options.recreate_target_every == 0) {
    TRIAGE_TRY(it->session->recreate_target());
  }
  ++it->runs;
  it->last_used = m_clock;
  it->session->use_knowledge(rules, schemas);
  return it->session.get();
}

}  // namespace triage::debugger
