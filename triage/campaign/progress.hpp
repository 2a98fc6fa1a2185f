#pragma once
// What a bulk run's progress line says: how many artifacts are done, the buckets found so far (and how
// many the store did not have), errors, and an ETA that counts the timeouts still to come. Pure: the
// front end feeds it results and the clock and prints the line.
#include <cstddef>
#include <set>
#include <string>
#include <vector>

#include "triage/core/bucket.hpp"

namespace triage::campaign {

struct ProgressSetup {
  size_t to_triage = 0;
  size_t named_timeouts = 0;          ///< of those, files libFuzzer named timeout-*: they will likely run out the clock
  std::set<std::string> known;        ///< bucket ids the store had before the run
  std::vector<std::string> key_state;  ///< as the buckets are keyed
  unsigned jobs = 1;
  unsigned timeout_seconds = 0;
};

class ProgressTally {
 public:
  explicit ProgressTally(ProgressSetup setup);

  /// One result of the run (a content's first path; its copies share it).
  void add(const core::TriageRecord& record);

  size_t done() const { return m_done; }
  size_t buckets() const { return m_buckets.size(); }
  size_t new_buckets() const { return m_new; }
  size_t errors() const { return m_errors; }
  size_t timeouts_pending() const { return m_timeouts_pending; }

  /// Seconds still to go after `elapsed` seconds: the other artifacts at the rate they ran so far
  /// (the time timeouts held workers taken out), plus every pending timeout at the full limit, spread
  /// over the workers. Negative when nothing ran to base a rate on yet.
  double eta_seconds(double elapsed) const;

  /// "[12/40] 7 buckets (2 new), 1 error, 3.1 artifacts/s, ETA 0:42 (incl. 2 timeouts)"
  std::string line(double elapsed) const;

 private:
  ProgressSetup m_setup;
  size_t m_done = 0;
  size_t m_errors = 0;
  size_t m_timeouts = 0;  ///< results that ran out the clock
  size_t m_timeouts_pending = 0;
  size_t m_new = 0;
  std::set<std::string> m_buckets;
};

}  // namespace triage::campaign
