#include "triage/emit/bucket_emitters.hpp"

#include "triage/core/build_compare.hpp"

#include <algorithm>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "triage/core/reproduce.hpp"
#include "triage/emit/bucket_format.hpp"
#include "triage/emit/lldb_script.hpp"
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

std::string buckets_table(const std::vector<core::Bucket>& buckets, const CampaignSummary& s,
                          const TableOptions& options) {
  // The id column grows with --key-state labels; notes under a row start at the count column.
  size_t id_width = 19;
  size_t kind_width = 4;
  size_t blamed_width = 12;
  size_t message_width = 7;
  size_t rep_width = 14;
  for (const auto& b : buckets) {
    id_width = std::max(id_width, display_width(printable(b.id)));
    kind_width = std::max(kind_width, std::min<size_t>(26, display_width(printable(b.kind))));
    blamed_width = std::max(blamed_width, std::min<size_t>(45, display_width(printable(b.blamed_function))));
    message_width = std::max(message_width, std::min<size_t>(44, display_width(printable(b.message))));
    rep_width = std::max(rep_width, display_width(printable(b.representative)));
  }
  const size_t indent = id_width + 9;
  // #, bucket, count, severity and kind always fit; what is left goes to the blamed frame, the message
  // and the representative, in that order of need.
  const size_t fixed = 3 + 2 + id_width + 2 + 5 + 2 + 6 + 2 + kind_width + 2;
  bool rep_inline = true;
  bool message_inline = true;
  if (options.width > 0) {
    const size_t avail = options.width > fixed ? options.width - fixed : 0;
    if (blamed_width + 2 + message_width + 2 + rep_width > avail) {
      rep_inline = false;
      if (blamed_width + 2 + message_width > avail) {
        const size_t blamed = std::max<size_t>(12, std::min(blamed_width, avail / 2));
        if (avail >= blamed + 2 + 16) {
          message_width = avail - blamed - 2;
        } else {
          message_inline = false;
        }
        blamed_width = message_inline ? blamed : std::max<size_t>(12, std::min(blamed_width, avail));
      }
    }
  }
  const auto row = [&](std::string_view n, std::string_view id, std::string_view count, std::string_view sev,
                       std::string_view kind, std::string_view blamed, std::string_view message,
                       std::string_view rep) {
    std::string line = fmt::format("{:>3}  {}  {:>5}  {}  {}", n, pad(id, id_width), count, pad(sev, 6),
                                   pad(kind, kind_width));
    if (message_inline) {
      line += "  " + pad(blamed, blamed_width) + "  " + (rep_inline ? pad(message, message_width) : std::string(message));
    } else {
      line += "  " + std::string(blamed);
    }
    if (rep_inline) {
      line += "  " + std::string(rep);
    }
    while (!line.empty() && line.back() == ' ') {
      line.pop_back();
    }
    return line + "\n";
  };
  std::string out = summary_line(buckets, s) + "\n\n";
  out += row("#", "bucket", "count", "sev", "kind", "blamed frame", "message", "representative");
  size_t i = 0;
  for (const auto& b : buckets) {
    out += row(std::to_string(++i), printable(b.id), std::to_string(b.count),
               core::severity_info(b.severity).label, shorten(printable(b.kind), kind_width),
               elide_front(printable(b.blamed_function), blamed_width), shorten(printable(b.message), message_width),
               printable(b.representative));
    if (!message_inline) {
      out += fmt::format("{:>{}}{}\n", "", indent, shorten(printable(b.message), 300));
    }
    if (!rep_inline) {
      out += fmt::format("{:>{}}{}\n", "", indent, printable(b.representative));
    }
    if (!b.minimized_from.empty()) {
      out += fmt::format("{:>{}}minimized: {} -> {} bytes, from {}\n", "", indent, b.minimized_from_size,
                         b.representative_size, printable(b.minimized_from));
    }
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
    if (!b.minimized_from.empty()) {
      out += fmt::format("- minimized: {} -> {} bytes, from {}\n", b.minimized_from_size, b.representative_size,
                         markdown_cell(b.minimized_from));
    }
    if (!b.binary.empty()) {
      out += "- reproduce: " + markdown_cell(core::reproduce_command(b.binary, b.representative)) + "\n";
    }
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
    list.back()["binary"] = b.binary;
    list.back()["reproduce"] = b.binary.empty() ? "" : core::reproduce_command(b.binary, b.representative);
    list.back()["lldb_command_file"] = b.lldb_command_file;
    // With triage minimize --store: the representative is the minimized input, made from this member.
    list.back()["minimized_from"] = b.minimized_from.empty() ? nlohmann::json(nullptr) : nlohmann::json(b.minimized_from);
    list.back()["minimized_from_size"] =
        b.minimized_from.empty() ? nlohmann::json(nullptr) : nlohmann::json(b.minimized_from_size);
  }
  j["buckets"] = list;
  if (!s.gone.empty()) {
    nlohmann::json gone = nlohmann::json::array();
    for (const auto& c : s.gone) {
      gone.push_back({{"id", c.bucket}, {"status", core::to_string(c.status)}, {"kind", c.kind},
                      {"blamed_function", c.blamed_function}, {"baseline_count", c.baseline_count},
                      {"moved_to", c.moved_to}});
    }
    j["gone"] = std::move(gone);  // buckets of the build before that this build no longer has
  }
  return j;
}

}  // namespace triage::emit
