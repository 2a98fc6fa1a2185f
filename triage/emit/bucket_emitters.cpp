#include "triage/emit/bucket_emitters.hpp"

#include "triage/core/build_compare.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "triage/emit/bucket_format.hpp"
#include "triage/emit/escape.hpp"

namespace triage::emit {
namespace {

std::string printable(std::string_view s) { return emit::printable(s, LineBreaks::escape); }

}  // namespace

CampaignSummary summarize(const std::vector<core::TriageRecord>& records) {
  CampaignSummary s;
  s.artifacts = records.size();
  for (const auto& r : records) {
    switch (r.result) {
      case core::ResultKind::crash:
        ++s.crashes;
        s.flaky += r.flaky ? 1 : 0;
        break;
      case core::ResultKind::no_repro:
        ++s.no_repro;
        s.no_repro_artifacts.emplace_back(r.artifact, r.runs);
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
  // The id column grows with --key-state labels; notes under a row start at the count column.
  size_t id_width = 19;
  for (const auto& b : buckets) {
    id_width = std::max(id_width, printable(b.id).size());
  }
  const size_t indent = id_width + 9;
  std::string out = summary_line(buckets, s) + "\n\n";
  out += fmt::format("{:>3}  {:<{}}  {:>5}  {:<26}  {:<45}  {:<44}  {}\n", "#", "bucket", id_width, "count", "kind",
                     "blamed frame", "message", "representative");
  size_t i = 0;
  for (const auto& b : buckets) {
    out += fmt::format("{:>3}  {:<{}}  {:>5}  {:<26}  {:<45}  {:<44}  {}\n", ++i, printable(b.id), id_width, b.count,
                       printable(b.kind), shorten(printable(b.blamed_function), 45), shorten(printable(b.message), 44),
                       printable(b.representative));
    if (b.status) {
      out += fmt::format("{:>{}}{} on this build\n", "", indent, core::to_string(*b.status));
    }
    if (b.targets.size() > 1) {
      out += fmt::format("{:>{}}found by {}\n", "", indent, join(b.targets, ", "));
    }
    if (!b.action.empty()) {
      out += fmt::format("{:>{}}at action {}\n", "", indent, printable(b.action));
    }
    for (const auto& e : b.evidence) {
      if (!e.starts_with("0x")) {  // the free / allocation sites; the region is in the reports
        out += fmt::format("{:>{}}{}\n", "", indent, printable(e));
      }
    }
    for (const auto& sim : b.similar) {
      out += fmt::format("{:>{}}possibly the same bug as {} ({})\n", "", indent, printable(sim.bucket), sim.reason);
    }
    for (const auto& f : b.flaky) {
      out += fmt::format("{:>{}}{}: {}\n", "", indent, core::flaky_note(f.crashing_runs, f.runs), printable(f.artifact));
    }
  }
  if (!s.no_repro_artifacts.empty()) {
    out += fmt::format("\nno-repro ({}):\n", s.no_repro_artifacts.size());
    for (const auto& [a, runs] : s.no_repro_artifacts) {
      out += "  " + printable(a) + runs_note(runs) + "\n";
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
  std::string out = fmt::format("## Crash buckets\n\n{}.\n\n", summary_line(buckets, s));
  out += "| # | bucket | count | kind | severity | blamed frame | message | targets | representative |\n";
  out += "|---|---|---|---|---|---|---|---|---|\n";
  size_t i = 0;
  for (const auto& b : buckets) {
    out += fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", ++i, markdown_cell(b.id), b.count, markdown_cell(b.kind),
                       core::to_string(b.severity), markdown_cell(b.blamed_function), markdown_cell(shorten(b.message, 120)),
                       markdown_cell(join(b.targets, ", ")), markdown_cell(basename_of(b.representative)));
  }
  for (const auto& b : buckets) {
    out += fmt::format("\n### {}: {} in {}\n\n", markdown_cell(b.id), markdown_cell(b.kind), markdown_cell(b.blamed_function));
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
    for (const auto& e : b.evidence) {
      out += "- sanitizer: " + markdown_cell(e) + "\n";
    }
    if (!b.action.empty()) {
      out += "- action: " + markdown_cell(b.action) + "\n";
    }
    for (const auto& sim : b.similar) {
      out += fmt::format("- possibly the same bug as {} ({})\n", markdown_cell(sim.bucket), markdown_cell(sim.reason));
    }
    for (const auto& f : b.flaky) {
      out += fmt::format("- {}: {}\n", core::flaky_note(f.crashing_runs, f.runs), markdown_cell(f.artifact));
    }
  }
  if (!s.no_repro_artifacts.empty()) {
    out += fmt::format("\n### No-repro ({})\n\n", s.no_repro_artifacts.size());
    for (const auto& [a, runs] : s.no_repro_artifacts) {
      out += "- " + markdown_cell(a) + runs_note(runs) + "\n";
    }
  }
  if (!s.error_artifacts.empty()) {
    out += fmt::format("\n### Errors ({})\n\n", s.error_artifacts.size());
    for (const auto& [a, e] : s.error_artifacts) {
      out += "- " + markdown_cell(a) + ": " + markdown_cell(e) + "\n";
    }
  }
  if (!s.unmapped.empty()) {
    out += fmt::format("\n### Unmapped ({})\n\n", s.unmapped.size());
    for (const auto& [a, why] : s.unmapped) {
      out += "- " + markdown_cell(a) + ": " + markdown_cell(why) + "\n";
    }
  }
  return out;
}

nlohmann::json buckets_json(const std::vector<core::Bucket>& buckets, const CampaignSummary& s) {
  nlohmann::json j;
  j["schema_version"] = 1;
  j["tool"] = "triage";  // as the one-shot report says
  j["artifacts"] = s.artifacts;
  j["crashes"] = s.crashes;
  nlohmann::json no_repro = nlohmann::json::array();
  nlohmann::json no_repro_runs = nlohmann::json::object();
  for (const auto& [a, runs] : s.no_repro_artifacts) {
    no_repro.push_back(a);
    no_repro_runs[a] = runs;
  }
  j["no_repro"] = no_repro;
  j["no_repro_runs"] = no_repro_runs;
  j["flaky"] = s.flaky;
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
    nlohmann::json flaky = nlohmann::json::array();
    for (const auto& f : b.flaky) {
      flaky.push_back({{"artifact", f.artifact}, {"crashing_runs", f.crashing_runs}, {"runs", f.runs}});
    }
    list.push_back({{"id", b.id}, {"signature", b.signature}, {"state_key", b.state_label}, {"kind", b.kind}, {"severity", core::to_string(b.severity)}, {"message", b.message},
                    {"blamed_function", b.blamed_function}, {"blamed_location", b.blamed_location},
                    {"frames", b.frames}, {"backtrace", b.backtrace}, {"count", b.count}, {"targets", b.targets},
                    {"representative", b.representative}, {"representative_size", b.representative_size},
                    {"artifacts", b.artifacts}, {"state", b.state_facts}, {"evidence", b.evidence}, {"action", b.action.empty() ? nlohmann::json(nullptr) : nlohmann::json(b.action)}, {"first_seen", b.first_seen},
                    {"last_seen", b.last_seen}, {"similar", sim}, {"flaky", flaky}});
    if (b.status) {
      list.back()["status"] = core::to_string(*b.status);  // against the build before; absent for one build
    }
    nlohmann::json members = nlohmann::json::array();
    for (const auto& m : b.members) {
      members.push_back({{"path", m.path}, {"target", m.target}, {"size", m.size}, {"sha1", m.sha1}});
    }
    list.back()["members"] = std::move(members);
    list.back()["backtrace_frames"] = core::frames_to_json(b.backtrace_frames);
    list.back()["new"] = b.is_new;
  }
  j["buckets"] = list;
  return j;
}

}  // namespace triage::emit
