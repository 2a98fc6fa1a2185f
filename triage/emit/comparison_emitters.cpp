#include "triage/emit/comparison_emitters.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "triage/emit/escape.hpp"

namespace triage::emit {

std::string comparison_counts_text(const core::ComparisonCounts& n) {
  return fmt::format("{} new, {} still crashing, {} fixed, {} changed, {} flaky", n.new_buckets, n.still_crashing,
                     n.fixed, n.changed, n.flaky);
}

std::string comparison_table(const std::vector<core::BucketComparison>& comparisons) {
  std::string out = fmt::format("{:<15} {:<22} {:<26} {:<40} {}\n", "status", "bucket", "kind", "blamed", "artifacts");
  for (const auto& c : comparisons) {
    std::string blamed = printable(c.blamed_function.empty() ? "?" : c.blamed_function, LineBreaks::escape);
    if (blamed.size() > 40) {
      blamed = blamed.substr(0, 37) + "...";
    }
    out += fmt::format("{:<15} {:<22} {:<26} {:<40} {} -> {}", core::to_string(c.status), c.bucket, c.kind, blamed,
                       c.baseline_count, c.current_count);
    for (size_t i = 0; i < c.moved_to.size(); ++i) {
      out += (i == 0 ? "  now in " : ", ") + c.moved_to[i];
    }
    out += "\n";
  }
  out += comparison_counts_text(core::count_statuses(comparisons)) + "\n";
  return out;
}

std::string comparison_json(const std::vector<core::BucketComparison>& comparisons) {
  const auto n = core::count_statuses(comparisons);
  nlohmann::json buckets = nlohmann::json::array();
  for (const auto& c : comparisons) {
    buckets.push_back({{"bucket", c.bucket},
                       {"status", core::to_string(c.status)},
                       {"kind", c.kind},
                       {"blamed_function", c.blamed_function},
                       {"message", c.message},
                       {"baseline_count", c.baseline_count},
                       {"current_count", c.current_count},
                       {"moved_to", c.moved_to}});
  }
  const nlohmann::json j{{"tool", "triage"},
                         {"counts",
                          {{"new", n.new_buckets},
                           {"still_crashing", n.still_crashing},
                           {"fixed", n.fixed},
                           {"changed", n.changed},
                           {"flaky", n.flaky}}},
                         {"buckets", buckets}};
  return json_text(j) + "\n";
}

}  // namespace triage::emit
