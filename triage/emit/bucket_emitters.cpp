#include "triage/emit/bucket_emitters.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace triage::emit {
namespace {

std::string shorten(std::string s, size_t n) {
  if (const auto nl = s.find('\n'); nl != std::string::npos) {
    s = s.substr(0, nl) + " ...";
  }
  if (s.size() > n) {
    s = s.substr(0, n - 3) + "...";
  }
  return s;
}

std::string basename_of(const std::string& p) {
  const auto slash = p.rfind('/');
  return slash == std::string::npos ? p : p.substr(slash + 1);
}

std::string join(const std::set<std::string>& s, const char* sep) {
  std::string out;
  for (const auto& x : s) {
    out += (out.empty() ? "" : sep) + x;
  }
  return out;
}

}  // namespace

std::string printable(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (c >= 0x20 && c != 0x7f) {
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  return out;
}

std::string markdown_cell(std::string_view s) {
  std::string out;
  for (char c : printable(s)) {
    switch (c) {
      case '|':
        out += "\\|";
        break;
      case '`':
        out += "\\`";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '*':
      case '_':
      case '[':
      case ']':
        out += '\\';
        out += c;
        break;
      default:
        out += c;
    }
  }
  return out;
}

CampaignSummary summarize(const std::vector<core::TriageRecord>& records) {
  CampaignSummary s;
  s.artifacts = records.size();
  for (const auto& r : records) {
    switch (r.result) {
      case core::ResultKind::crash:
        ++s.crashes;
        break;
      case core::ResultKind::no_repro:
        ++s.no_repro;
        s.no_repro_artifacts.push_back(r.artifact);
        break;
      case core::ResultKind::live:  // attach results never reach the store
      case core::ResultKind::error:
        ++s.errors;
        s.error_artifacts.emplace_back(r.artifact, r.error);
        break;
    }
  }
  return s;
}

std::string buckets_table(const std::vector<core::Bucket>& buckets, const CampaignSummary& s) {
  std::string out = fmt::format("{} artifacts: {} crashes in {} buckets, {} no-repro, {} errors\n\n", s.artifacts,
                                s.crashes, buckets.size(), s.no_repro, s.errors);
  out += fmt::format("{:>3}  {:<19}  {:>5}  {:<26}  {:<45}  {:<44}  {}\n", "#", "bucket", "count", "kind", "blamed frame",
                     "message", "representative");
  size_t i = 0;
  for (const auto& b : buckets) {
    out += fmt::format("{:>3}  {:<19}  {:>5}  {:<26}  {:<45}  {:<44}  {}\n", ++i, b.id, b.count, b.kind,
                       shorten(printable(b.blamed_function), 45), shorten(printable(b.message), 44),
                       printable(b.representative));
    if (b.targets.size() > 1) {
      out += fmt::format("{:>28}found by {}\n", "", join(b.targets, ", "));
    }
    for (const auto& sim : b.similar) {
      out += fmt::format("{:>28}possibly the same bug as {} ({})\n", "", sim.bucket, sim.reason);
    }
  }
  if (!s.no_repro_artifacts.empty()) {
    out += fmt::format("\nno-repro ({}):\n", s.no_repro_artifacts.size());
    for (const auto& a : s.no_repro_artifacts) {
      out += "  " + printable(a) + "\n";
    }
  }
  if (!s.error_artifacts.empty()) {
    out += fmt::format("\nerrors ({}):\n", s.error_artifacts.size());
    for (const auto& [a, e] : s.error_artifacts) {
      out += "  " + printable(a) + ": " + printable(e) + "\n";
    }
  }
  if (!s.unmapped.empty()) {
    out += fmt::format("\nunmapped ({}):\n", s.unmapped.size());
    for (const auto& [a, why] : s.unmapped) {
      out += "  " + printable(a) + ": " + printable(why) + "\n";
    }
  }
  return out;
}

std::string buckets_markdown(const std::vector<core::Bucket>& buckets, const CampaignSummary& s) {
  std::string out = fmt::format("## Crash buckets\n\n{} artifacts: {} crashes in {} buckets, {} no-repro, {} errors.\n\n",
                                s.artifacts, s.crashes, buckets.size(), s.no_repro, s.errors);
  out += "| # | bucket | count | kind | severity | blamed frame | message | targets | representative |\n";
  out += "|---|---|---|---|---|---|---|---|---|\n";
  size_t i = 0;
  for (const auto& b : buckets) {
    out += fmt::format("| {} | `{}` | {} | {} | {} | {} | {} | {} | {} |\n", ++i, b.id, b.count, markdown_cell(b.kind),
                       core::to_string(b.severity), markdown_cell(b.blamed_function), markdown_cell(shorten(b.message, 120)),
                       markdown_cell(join(b.targets, ", ")), markdown_cell(basename_of(b.representative)));
  }
  for (const auto& b : buckets) {
    out += fmt::format("\n### `{}`: {} in {}\n\n", b.id, markdown_cell(b.kind), markdown_cell(b.blamed_function));
    out += fmt::format("- message: {}\n- location: {}\n- count: {} ({})\n- representative: {} ({} bytes)\n",
                       markdown_cell(shorten(b.message, 300)), markdown_cell(b.blamed_location), b.count,
                       markdown_cell(join(b.targets, ", ")), markdown_cell(b.representative), b.representative_size);
    if (!b.frames.empty()) {
      out += "- frames:";
      for (const auto& f : b.frames) {
        out += " " + markdown_cell(f) + " ←";
      }
      out.resize(out.size() - 4);
      out += "\n";
    }
    for (const auto& f : b.state_facts) {
      out += "- state: " + markdown_cell(f) + "\n";
    }
    for (const auto& sim : b.similar) {
      out += fmt::format("- possibly the same bug as `{}` ({})\n", sim.bucket, markdown_cell(sim.reason));
    }
  }
  return out;
}

nlohmann::json buckets_json(const std::vector<core::Bucket>& buckets, const CampaignSummary& s) {
  nlohmann::json j;
  j["schema_version"] = 1;
  j["artifacts"] = s.artifacts;
  j["crashes"] = s.crashes;
  j["no_repro"] = s.no_repro_artifacts;
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& [a, e] : s.error_artifacts) {
    errors.push_back({{"artifact", a}, {"error", e}});
  }
  j["errors"] = errors;
  nlohmann::json unmapped = nlohmann::json::array();
  for (const auto& [a, why] : s.unmapped) {
    unmapped.push_back({{"artifact", a}, {"reason", why}});
  }
  j["unmapped"] = unmapped;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& b : buckets) {
    nlohmann::json sim = nlohmann::json::array();
    for (const auto& x : b.similar) {
      sim.push_back({{"bucket", x.bucket}, {"score", x.score}, {"reason", x.reason}});
    }
    list.push_back({{"id", b.id}, {"kind", b.kind}, {"severity", core::to_string(b.severity)}, {"message", b.message},
                    {"blamed_function", b.blamed_function}, {"blamed_location", b.blamed_location},
                    {"frames", b.frames}, {"count", b.count}, {"targets", b.targets},
                    {"representative", b.representative}, {"representative_size", b.representative_size},
                    {"artifacts", b.artifacts}, {"state", b.state_facts}, {"first_seen", b.first_seen},
                    {"last_seen", b.last_seen}, {"similar", sim}});
  }
  j["buckets"] = list;
  return j;
}

}  // namespace triage::emit
