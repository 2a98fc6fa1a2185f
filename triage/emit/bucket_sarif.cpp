// SARIF 2.1.0 (OASIS), as code-scanning UIs read it: one rule per crash kind, one result per bucket at
// its blamed frame. Levels: exploitable -> error, probably-exploitable -> warning, not-exploitable ->
// note. Strings are escaped by nlohmann::json; file paths are percent-encoded into URIs.
#include <cctype>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "triage/core/build_compare.hpp"
#include "triage/core/crash_kind.hpp"
#include "triage/emit/bucket_emitters.hpp"
#include "triage/emit/bucket_format.hpp"

namespace triage::emit {
namespace {

using nlohmann::json;

constexpr const char* k_sarif_schema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
constexpr const char* k_root_id = "SRCROOT";

std::string_view sarif_level(core::Severity s) { return core::severity_info(s).sarif_level; }

/// artifactLocation of a source file: relative to SRCROOT when under it (or already relative), else file://.
json artifact_location(const std::string& file, const std::string& root) {
  if (const auto under = source_path_under(file, root)) {
    return root.empty() ? json{{"uri", uri_path(*under)}} : json{{"uri", uri_path(*under)}, {"uriBaseId", k_root_id}};
  }
  return {{"uri", "file://" + uri_path(std::filesystem::path(file).lexically_normal().string())}};
}

std::string rule_description(const std::string& kind) {
  if (const auto k = core::crash_kind_from_string(kind)) {
    return std::string(core::crash_kind_info(*k).description);
  }
  return kind;
}

/// "heap-buffer-overflow-read" -> "FuzzHeapBufferOverflowRead": SARIF's rule name, a readable
/// identifier that must differ from the id even ignoring case ("timeout" would not).
std::string rule_name(const std::string& kind) {
  std::string out = "Fuzz";
  bool upper = true;
  for (char c : kind) {
    if (c == '-' || c == '_') {
      upper = true;
    } else {
      out += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  return out;
}

/// GitHub code scanning's security-severity (CVSS-like, 0.0-10.0) of a severity class.
std::string_view security_severity(core::Severity s) { return core::severity_info(s).security_severity; }

json rule_of(const core::Bucket& b) {
  const std::string what = rule_description(b.kind);
  const std::string help = fmt::format(
      "{} ({}). Reproduce the bucket's representative with `triage BINARY ARTIFACT`; `triage script` writes an lldb "
      "command file that stops where triage stopped.",
      what, core::to_string(b.severity));
  return {{"id", b.kind},
          {"name", rule_name(b.kind)},
          {"shortDescription", {{"text", what}}},
          {"fullDescription", {{"text", fmt::format("A fuzz target crashed: {}.", what)}}},
          {"help", {{"text", help}, {"markdown", help}}},
          {"defaultConfiguration", {{"level", sarif_level(b.severity)}}},
          {"properties",
           {{"severity", core::to_string(b.severity)},
            {"security-severity", security_severity(b.severity)},
            {"precision", "high"},
            {"tags", json::array({"security", "fuzzing", b.kind})}}}};
}

/// A message without what changes from run to run: heap, stack and code addresses become "<address>"
/// (register values and small numbers stay), so a result's text is the same on every run.
std::string without_addresses(const std::string& text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    if (text.compare(i, 2, "0x") == 0) {
      size_t j = i + 2;
      while (j < text.size() && std::isxdigit(static_cast<unsigned char>(text[j]))) {
        ++j;
      }
      if (j - i - 2 >= 8) {
        out += "<address>";
        i = j;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

json location_of(const core::Bucket& b, const std::string& root) {
  json loc = json::object();
  if (!b.blamed_file.empty()) {
    json physical{{"artifactLocation", artifact_location(b.blamed_file, root)}};
    if (b.blamed_line > 0) {
      physical["region"] = {{"startLine", b.blamed_line}};
    }
    loc["physicalLocation"] = physical;
  }
  if (!b.blamed_function.empty()) {
    loc["logicalLocations"] = json::array({{{"fullyQualifiedName", b.blamed_function}, {"kind", "function"}}});
  }
  return loc;
}

}  // namespace

json buckets_sarif(const std::vector<core::Bucket>& buckets, const CampaignSummary& s, const SarifOptions& options) {
  const std::string root = options.source_root.empty() ? "" : directory_with_slash(options.source_root);
  json rules = json::array();
  std::map<std::string, size_t> rule_index;
  json results = json::array();
  for (const auto& b : buckets) {
    if (!rule_index.contains(b.kind)) {
      rule_index[b.kind] = rules.size();
      rules.push_back(rule_of(b));
    }
    json result{{"ruleId", b.kind},
                {"ruleIndex", rule_index[b.kind]},
                {"level", sarif_level(b.severity)},
                {"message", {{"text", without_addresses(b.blamed_function.empty()
                                                             ? fmt::format("{}: {}", b.kind, b.message)
                                                             : fmt::format("{} in {}: {}", b.kind, b.blamed_function,
                                                                           b.message))}}}};
    const json loc = location_of(b, root);
    result["locations"] = loc.empty() ? json::array() : json::array({loc});
    result["fingerprints"] = {{"triageBucket/v1", b.id}};
    // Code-scanning UIs match results across runs by partial fingerprints: the signature.
    result["partialFingerprints"] = {{"triageSignature/v1", b.signature}};
    if (b.status) {
      result["baselineState"] = core::sarif_baseline_state(*b.status);
    }
    if (!b.frames.empty()) {
      json frames = json::array();
      for (const auto& f : b.frames) {
        frames.push_back({{"location", {{"logicalLocations", json::array({{{"fullyQualifiedName", f}}})}}}});
      }
      result["stacks"] = json::array({{{"message", {{"text", "signature frames"}}}, {"frames", frames}}});
    }
    json flaky = json::array();
    for (const auto& f : b.flaky) {
      flaky.push_back({{"artifact", f.artifact}, {"crashing_runs", f.crashing_runs}, {"runs", f.runs}});
    }
    result["properties"] = {{"count", b.count},
                            {"targets", b.targets},
                            {"representative", b.representative},
                            {"representative_size", b.representative_size},
                            {"artifacts", b.artifacts},
                            {"severity", core::to_string(b.severity)},
                            {"signature", b.signature},
                            {"state_key", b.state_label},
                            {"flaky", flaky}};
    if (!b.action.empty()) {
      result["properties"]["action"] = b.action;  // the fuzz action being run
    }
    if (!b.evidence.empty()) {
      result["properties"]["sanitizer_evidence"] = b.evidence;  // region, free and allocation sites
    }
    if (!b.minimized_from.empty()) {
      result["properties"]["minimized_from"] = b.minimized_from;  // the representative was minimized from it
      result["properties"]["minimized_from_size"] = b.minimized_from_size;
    }
    results.push_back(std::move(result));
  }
  json no_repro = json::array();
  for (const auto& [a, runs] : s.no_repro_artifacts) {
    no_repro.push_back({{"artifact", a}, {"runs", runs}});
  }
  json errors = json::array();
  for (const auto& [a, e] : s.error_artifacts) {
    errors.push_back({{"artifact", a}, {"error", e}});
  }
  json unmapped = json::array();
  for (const auto& [a, why] : s.unmapped) {
    unmapped.push_back({{"artifact", a}, {"reason", why}});
  }
  json run{{"tool",
            {{"driver",
              {{"name", "triage"}, {"version", options.tool_version}, {"informationUri", options.information_uri},
               {"rules", rules}}}}},
           {"results", results},
           {"properties",
            {{"artifacts", s.artifacts}, {"crashes", s.crashes}, {"flaky", s.flaky}, {"no_repro", no_repro},
             {"errors", errors}, {"unmapped", unmapped}}}};
  if (!root.empty()) {
    run["originalUriBaseIds"] = {{k_root_id, {{"uri", "file://" + uri_path(root)}}}};
  }
  return {{"$schema", k_sarif_schema}, {"version", "2.1.0"}, {"runs", json::array({run})}};
}

}  // namespace triage::emit
