// `--from-snapshot FILE`: any JSON (or not) must load as a snapshot or be a data error; a loaded
// snapshot is analysed like a captured one.
#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "triage/core/report.hpp"
#include "triage/core/snapshot.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace triage::core;
  const auto j = nlohmann::json::parse(data, data + size, nullptr, false);
  if (j.is_discarded()) {
    return 0;
  }
  if (auto snap = snapshot_from_json(j)) {
    (void)analyze(*snap, AnalysisConfig{});
  }
  return 0;
}
