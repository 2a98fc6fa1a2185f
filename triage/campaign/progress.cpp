#include "triage/campaign/progress.hpp"

#include "triage/campaign/discovery.hpp"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

namespace triage::campaign {

ProgressTally::ProgressTally(ProgressSetup setup) : m_setup(std::move(setup)) {
  m_setup.jobs = std::max(1u, m_setup.jobs);
  m_timeouts_pending = std::min(m_setup.named_timeouts, m_setup.to_triage);
}

void ProgressTally::add(const core::TriageRecord& record) {
  ++m_done;
  if (m_timeouts_pending > 0 && is_timeout_artifact_name(std::filesystem::path(record.artifact).filename().string())) {
    --m_timeouts_pending;
  }
  if (record.result == core::ResultKind::error) {
    ++m_errors;
  }
  if (record.kind == core::to_string(core::CrashKind::timeout)) {
    ++m_timeouts;
  }
  if (const std::string key = core::bucket_key(record, {m_setup.key_state}); !key.empty()) {
    if (m_buckets.insert(key).second && !m_setup.known.contains(key)) {
      ++m_new;
    }
  }
}

double ProgressTally::eta_seconds(double elapsed) const {
  const size_t remaining = m_setup.to_triage - std::min(m_done, m_setup.to_triage);
  if (remaining == 0) {
    return 0;
  }
  const double jobs = m_setup.jobs;
  const double limit = m_setup.timeout_seconds;
  const double pending_timeouts = static_cast<double>(std::min(m_timeouts_pending, remaining));
  const double others = static_cast<double>(remaining) - pending_timeouts;
  const double timeout_time = pending_timeouts * limit / jobs;
  if (others == 0) {
    return timeout_time;
  }
  const size_t regular_done = m_done - std::min(m_timeouts, m_done);
  if (regular_done == 0) {
    return -1;
  }
  // The workers the finished timeouts held are taken out of the time the others ran in.
  const double regular_time = std::max(elapsed - static_cast<double>(m_timeouts) * limit / jobs, elapsed * 0.1);
  const double rate = static_cast<double>(regular_done) / std::max(regular_time, 1e-3);
  return others / rate + timeout_time;
}

std::string ProgressTally::line(double elapsed) const {
  const double eta = eta_seconds(elapsed);
  const auto secs = static_cast<long>(eta + 0.5);
  const std::string eta_text = eta < 0 ? "?" : fmt::format("{}:{:02}", secs / 60, secs % 60);
  const double rate = elapsed > 0 ? static_cast<double>(m_done) / elapsed : 0;
  return fmt::format("[{}/{}] {} bucket{} ({} new), {} error{}, {:.1f} artifacts/s, ETA {}{}", m_done,
                     m_setup.to_triage, m_buckets.size(), m_buckets.size() == 1 ? "" : "s", m_new, m_errors,
                     m_errors == 1 ? "" : "s", rate, eta_text,
                     m_timeouts_pending > 0 && m_done < m_setup.to_triage
                         ? fmt::format(" (incl. {} timeout{})", m_timeouts_pending, m_timeouts_pending == 1 ? "" : "s")
                         : "");
}

}  // namespace triage::campaign
