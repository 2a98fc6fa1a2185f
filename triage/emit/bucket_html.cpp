// The HTML bucket report: one self-contained page (no network resource). A summary first (counts, a
// bar chart of buckets per kind, breakdowns per severity and target), then filters and search, a
// sortable bucket table and one collapsible section per bucket (reproduce line, lldb command file,
// source links). Every untrusted string goes through html_text(); the Content Security Policy admits
// only this file's own style sheet and script (by hash), so markup that slipped through escaping still
// could not run. Filters live in the URL's fragment (#kind=abort&q=rtc&sort=count-desc), so a filtered
// view is a link.
#include <algorithm>
#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "triage/core/build_compare.hpp"
#include "triage/core/crash_kind.hpp"
#include "triage/emit/bucket_emitters.hpp"
#include "triage/core/reproduce.hpp"
#include "triage/emit/bucket_format.hpp"
#include "triage/emit/bucket_html_assets.hpp"
#include "triage/emit/escape.hpp"
#include "triage/emit/lldb_script.hpp"

namespace triage::emit {
namespace {

int severity_rank(core::Severity s) {
  switch (s) {
    case core::Severity::exploitable:
      return 0;
    case core::Severity::probably_exploitable:
      return 1;
    case core::Severity::not_exploitable:
      return 2;
  }
  return 2;
}

std::string h(std::string_view s) { return html_text(s); }
std::string h1(std::string_view s) { return html_text(s, LineBreaks::escape); }

/// A URL fragment or attribute value word: every byte but unreserved ones %XX (decodeURIComponent
/// reads it back; no space, so a list of them splits on spaces).
std::string uri_word(std::string_view s) {
  std::string out = uri_path(s);
  std::string no_slash;
  for (char c : out) {
    no_slash += c == '/' ? std::string("%2F") : std::string(1, c);
  }
  return no_slash;
}

bool is_new(const core::Bucket& b) { return b.is_new || b.status == core::BucketStatus::new_bucket; }

/// The badges after a bucket's kind: "new" (this run or this build), then its status on this build.
std::string badges(const core::Bucket& b) {
  std::string out;
  if (is_new(b)) {
    out += " <span class=\"badge new\">new</span>";
  }
  if (b.status && *b.status != core::BucketStatus::new_bucket) {
    out += fmt::format(" <span class=\"badge status-{0}\">{0}</span>", core::to_string(*b.status));
  }
  return out;
}

/// The status words a row is filtered by: "new", then its status.
std::string status_words(const core::Bucket& b) {
  std::string out = is_new(b) ? "new" : "";
  if (b.status && *b.status != core::BucketStatus::new_bucket) {
    out += (out.empty() ? "" : " ") + std::string(core::to_string(*b.status));
  }
  return out;
}

class Page {
 public:
  Page(const std::vector<core::Bucket>& buckets, const CampaignSummary& summary, const HtmlOptions& options)
      : m_buckets(buckets), m_summary(summary), m_options(options) {
    if (!options.source_root.empty()) {
      m_root = directory_with_slash(options.source_root);
    }
    for (size_t i = 0; i < buckets.size(); ++i) {
      m_rank_of[buckets[i].id] = i + 1;
    }
  }

  std::string render() const {
    std::string out = head();
    out += "<h1>Crash buckets</h1>\n";
    out += "<p id=\"summary\">" + h1(summary_line(m_buckets, m_summary)) + ".</p>\n";
    out += overview();
    out += filter_bar();
    out += bucket_table();
    for (size_t i = 0; i < m_buckets.size(); ++i) {
      out += detail_section(m_buckets[i], i + 1);
    }
    out += gone_section();
    out += list_section("no-repro", "No-repro", m_summary.no_repro_artifacts, [](const auto& row) {
      return "<code>" + h1(row.first) + "</code>" + h1(runs_note(row.second));
    });
    out += list_section("errors", "Errors", m_summary.error_artifacts, [](const auto& row) {
      return "<code>" + h1(row.first) + "</code>: " + h1(row.second);
    });
    out += list_section("unmapped", "Unmapped", m_summary.unmapped, [](const auto& row) {
      return "<code>" + h1(row.first) + "</code>: " + h1(row.second);
    });
    out += fmt::format("<script>{}</script>\n</body>\n</html>\n", html_script());
    return out;
  }

 private:
  std::string head() const {
    std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    if (m_summary.refresh_seconds > 0) {
      out += fmt::format("<meta http-equiv=\"refresh\" content=\"{}\">\n", m_summary.refresh_seconds);
    }
    out += fmt::format(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src {}; script-src {}; "
        "base-uri 'none'; form-action 'none'\">\n",
        csp_hash(html_style()), csp_hash(html_script()));
    out += "<title>triage: crash buckets</title>\n";
    return out + fmt::format("<style>{}</style>\n</head>\n<body>\n", html_style());
  }

  /// Counts, the chart of buckets per kind, and the breakdowns per severity and per target.
  std::string overview() const {
    struct Tally {
      size_t buckets = 0;
      size_t artifacts = 0;
      core::Severity severity = core::Severity::not_exploitable;
    };
    std::map<std::string, Tally> by_kind, by_severity, by_target;
    size_t fresh = 0;
    for (const auto& b : m_buckets) {
      auto& k = by_kind[b.kind];
      ++k.buckets;
      k.artifacts += b.count;
      k.severity = b.severity;
      auto& s = by_severity[std::string(core::to_string(b.severity))];
      ++s.buckets;
      s.artifacts += b.count;
      s.severity = b.severity;
      for (const auto& t : b.targets) {
        ++by_target[t].buckets;
      }
      for (const auto& m : b.members) {
        ++by_target[m.target].artifacts;
      }
      fresh += is_new(b) ? 1 : 0;
    }
    size_t fixed = 0;
    size_t changed = 0;
    for (const auto& g : m_summary.gone) {
      fixed += g.status == core::BucketStatus::fixed ? 1 : 0;
      changed += g.status == core::BucketStatus::changed ? 1 : 0;
    }
    std::string out = "<section id=\"overview\">\n<ul id=\"counts\">";
    const auto count = [&](const char* key, size_t n, const char* label) {
      out += fmt::format("<li data-count=\"{}\"><b>{}</b>{}</li>", key, n, label);
    };
    count("buckets", m_buckets.size(), "buckets");
    count("crashes", m_summary.crashes, "crashing artifacts");
    count("artifacts", m_summary.artifacts, "artifacts");
    count("new", fresh, "new buckets");
    if (!m_summary.gone.empty()) {
      count("fixed", fixed, "fixed on this build");
      count("changed", changed, "changed on this build");
    }
    count("no-repro", m_summary.no_repro, "no-repro");
    count("errors", m_summary.errors, "errors");
    out += "</ul>\n";
    out += chart(by_kind);
    out += "<div class=\"breakdowns\">\n";
    // Severities in the order of their rank, the rest by name.
    std::vector<std::pair<std::string, Tally>> severities(by_severity.begin(), by_severity.end());
    std::ranges::sort(severities, {}, [](const auto& s) { return severity_rank(s.second.severity); });
    out += breakdown("by-severity", "Per severity", "severity", severities);
    out += breakdown("by-kind", "Per kind", "kind", std::vector<std::pair<std::string, Tally>>(by_kind.begin(), by_kind.end()));
    out += breakdown("by-target", "Per target", "target",
                     std::vector<std::pair<std::string, Tally>>(by_target.begin(), by_target.end()));
    return out + "</div>\n</section>\n";
  }

  /// A horizontal bar per kind (most buckets first), coloured by the kind's severity.
  template <class Tallies>
  std::string chart(const Tallies& by_kind) const {
    if (by_kind.empty()) {
      return "";
    }
    std::vector<std::pair<std::string, typename Tallies::mapped_type>> rows(by_kind.begin(), by_kind.end());
    std::ranges::stable_sort(rows, [](const auto& a, const auto& b) { return a.second.buckets > b.second.buckets; });
    constexpr int k_label = 190, k_bar = 300, k_row = 20, k_height = 14;
    const size_t most = rows.front().second.buckets;
    const int height = static_cast<int>(rows.size()) * k_row + 4;
    std::string out = fmt::format(
        "<svg id=\"chart\" class=\"chart\" width=\"{0}\" height=\"{1}\" viewBox=\"0 0 {0} {1}\" role=\"img\" "
        "aria-label=\"buckets per kind\">\n",
        k_label + k_bar + 160, height);
    for (size_t i = 0; i < rows.size(); ++i) {
      const auto& [kind, tally] = rows[i];
      const int y = static_cast<int>(i) * k_row + 2;
      const int width = std::max(2, static_cast<int>(k_bar * tally.buckets / std::max<size_t>(most, 1)));
      out += fmt::format(
          "<g class=\"bar\" data-kind=\"{0}\"><text x=\"{1}\" y=\"{2}\" text-anchor=\"end\">{0}</text>"
          "<rect class=\"sev-{3}\" x=\"{4}\" y=\"{5}\" width=\"{6}\" height=\"{7}\"></rect>"
          "<text x=\"{8}\" y=\"{2}\">{9} bucket{10}, {11} artifact{12}</text></g>\n",
          h1(kind), k_label - 6, y + 11, core::to_string(tally.severity), k_label, y, width, k_height,
          k_label + width + 6, tally.buckets, tally.buckets == 1 ? "" : "s", tally.artifacts,
          tally.artifacts == 1 ? "" : "s");
    }
    return out + "</svg>\n";
  }

  template <class Rows>
  static std::string breakdown(const char* id, const char* caption, const char* key, const Rows& rows) {
    std::string out = fmt::format(
        "<table class=\"breakdown\" id=\"{}\"><caption>{}</caption>\n<thead><tr><th>{}</th><th>buckets</th>"
        "<th>artifacts</th></tr></thead>\n<tbody>",
        id, caption, key);
    for (const auto& [name, tally] : rows) {
      out += fmt::format(
          "<tr data-value=\"{0}\"><td><a href=\"#{1}={2}\">{0}</a></td><td class=\"num\">{3}</td>"
          "<td class=\"num\">{4}</td></tr>",
          h1(name), key, uri_word(name), tally.buckets, tally.artifacts);
    }
    return out + "</tbody>\n</table>\n";
  }

  std::string filter_bar() const {
    std::set<std::string> kinds, targets, statuses;
    std::map<int, std::string> severities;
    for (const auto& b : m_buckets) {
      kinds.insert(b.kind);
      targets.insert(b.targets.begin(), b.targets.end());
      severities[severity_rank(b.severity)] = std::string(core::to_string(b.severity));
      const std::string words = status_words(b);
      for (size_t at = 0; at < words.size();) {
        const size_t end = std::min(words.find(' ', at), words.size());
        statuses.insert(words.substr(at, end - at));
        at = end + 1;
      }
    }
    std::string out = "<div id=\"filters\">\n";
    out += "<input type=\"search\" id=\"filter-q\" placeholder=\"search: function, message, file, artifact\" "
           "aria-label=\"search the buckets\">\n";
    const auto select = [&](const char* key, const char* every, const auto& values) {
      out += fmt::format("<select id=\"filter-{0}\" aria-label=\"{0}\"><option value=\"\">{1}</option>", key, every);
      for (const auto& v : values) {
        out += fmt::format("<option value=\"{0}\">{0}</option>", h1(v));
      }
      out += "</select>\n";
    };
    select("kind", "every kind", kinds);
    std::vector<std::string> severity_names;
    for (const auto& [rank, name] : severities) {
      severity_names.push_back(name);
    }
    select("severity", "every severity", severity_names);
    select("target", "every target", targets);
    if (!statuses.empty()) {
      select("status", "every status", statuses);
    }
    return out + fmt::format("<span id=\"shown\">{0} of {0} buckets shown</span>\n</div>\n", m_buckets.size());
  }

  std::string bucket_table() const {
    std::string out =
        "<table id=\"buckets\">\n<thead><tr>"
        "<th data-key=\"rank\" data-type=\"num\">#</th><th data-key=\"id\">bucket</th>"
        "<th data-key=\"count\" data-type=\"num\" data-first=\"descending\">count</th><th data-key=\"kind\">kind</th>"
        "<th data-key=\"severity\" data-type=\"num\">severity</th><th data-key=\"message\">message</th>"
        "<th data-key=\"blamed\">blamed frame</th><th data-key=\"targets\">targets</th>"
        "<th data-key=\"representative\">representative</th></tr></thead>\n<tbody>\n";
    for (size_t i = 0; i < m_buckets.size(); ++i) {
      out += table_row(m_buckets[i], i + 1);
    }
    return out + "</tbody>\n</table>\n";
  }

  std::string table_row(const core::Bucket& b, size_t rank) const {
    const std::string sev(core::to_string(b.severity));
    std::string targets;
    for (const auto& t : b.targets) {
      targets += (targets.empty() ? "" : " ") + uri_word(t);
    }
    std::string blamed = "<code>" + h1(b.blamed_function) + "</code>";
    if (const std::string at = location(b.blamed_file, b.blamed_line); !at.empty()) {
      blamed += "<br>" + at;
    }
    return fmt::format(
        "<tr id=\"row-{0}\" data-bucket=\"{1}\" data-kind=\"{3}\" data-severity=\"{4}\" data-targets=\"{11}\" "
        "data-status=\"{12}\"><td class=\"num\">{0}</td><td class=\"id\"><a href=\"#bucket-{0}\">{1}</a></td>"
        "<td class=\"num\">{2}</td><td class=\"nowrap\">{3}{13}</td><td class=\"nowrap sev-{4}\" data-sort=\"{5}\">{4}</td>"
        "<td>{6}</td><td data-sort=\"{7}\">{8}</td><td>{9}</td><td title=\"{10}\">{14}</td></tr>\n",
        rank, h1(b.id), b.count, h1(b.kind), sev, severity_rank(b.severity), h1(shorten(b.message, 160)),
        h1(b.blamed_function), blamed, h1(join(b.targets, ", ")), h1(b.representative), targets, status_words(b),
        badges(b), h1(basename_of(b.representative)));
  }

  /// "file:line", linked when the file is under the source root.
  std::string location(const std::string& file, uint32_t line) const {
    if (file.empty()) {
      return "";
    }
    const std::string shown = line > 0 ? fmt::format("{}:{}", file, line) : file;
    const auto under = m_root.empty() ? std::nullopt : source_path_under(file, m_root);
    if (!under) {
      return "<code>" + h1(shown) + "</code>";
    }
    std::string href;
    if (!m_options.source_url.empty()) {
      href = m_options.source_url + uri_path(*under) + (line > 0 ? fmt::format("#L{}", line) : "");
    } else {
      const std::filesystem::path absolute = std::filesystem::path(m_root) / *under;
      const std::string relative = m_options.report_dir.empty()
                                       ? absolute.string()
                                       : absolute.lexically_relative(m_options.report_dir).string();
      // "./" first: a relative path whose first segment holds ':' must not read as a URL scheme.
      href = (relative.starts_with('/') ? "file://" : relative.starts_with("../") ? "" : "./") + uri_path(relative);
    }
    return fmt::format("<a class=\"source\" href=\"{}\"><code>{}</code></a>", h1(href),
                       h1(line > 0 ? fmt::format("{}:{}", *under, line) : *under));
  }

  std::string backtrace(const core::Bucket& b) const {
    if (b.backtrace_frames.empty()) {
      return code_list(b.backtrace, "ol", true);
    }
    std::string out = "<ol start=\"0\" class=\"backtrace\">";
    for (const auto& f : b.backtrace_frames) {
      out += "<li><code>" + h1(f.function.empty() ? "??" : f.function) + "</code>";
      if (const std::string at = location(f.file, f.line); !at.empty()) {
        out += " " + at;
      } else if (!f.module.empty()) {
        out += " <span class=\"module\">(" + h1(f.module) + ")</span>";
      }
      if (!f.ignored_by.empty()) {
        out += " <span class=\"ignored\">[ignored: " + h1(f.ignored_by) + "]</span>";
      }
      out += "</li>";
    }
    return out + "</ol>\n";
  }

  /// <ol> or <ul> of code items; an <ol> counts from 0 like a backtrace when `from_zero`.
  static std::string code_list(const std::vector<std::string>& items, const char* tag, bool from_zero = false) {
    std::string out = fmt::format("<{}{}>", tag, from_zero ? " start=\"0\"" : "");
    for (const auto& x : items) {
      out += "<li><code>" + h1(x) + "</code></li>";
    }
    return out + fmt::format("</{}>\n", tag);
  }

  /// The reproduce line and the lldb command file of the representative, when the store knows its binary.
  std::string reproducer(const core::Bucket& b, size_t rank) const {
    if (b.binary.empty()) {
      return "";
    }
    std::string out = "<dt>reproduce</dt><dd><pre class=\"reproduce\">" +
                      h(core::reproduce_command(b.binary, b.representative)) + "</pre></dd>\n";
    const std::string file = fmt::format("bucket-{}.lldb", rank);
    if (b.lldb_command_file.empty()) {
      out += "<dt>lldb</dt><dd><pre class=\"lldb-make\">" +
             h(fmt::format("triage script {} -o {}", core::reproduce_command(b.binary, b.representative), file)) +
             "</pre></dd>\n";
      return out;
    }
    const auto lines = static_cast<size_t>(std::ranges::count(b.lldb_command_file, '\n'));
    out += fmt::format(
        "<dt>lldb</dt><dd><details class=\"lldb\"><summary>command file ({} lines): save it as <code>{}</code>, "
        "then run <code>{}</code></summary><pre class=\"lldb-file\">{}</pre></details></dd>\n",
        lines, file, h1(lldb_run_command(file, b.binary, b.representative)), h(b.lldb_command_file));
    return out;
  }

  std::string detail_section(const core::Bucket& b, size_t rank) const {
    std::string out = fmt::format(
        "<details class=\"bucket\" id=\"bucket-{0}\" data-bucket=\"{1}\"{5}>\n<summary><h2>{0}. <code>{1}</code>: "
        "{2} in <code>{3}</code>{4}</h2></summary>\n",
        rank, h1(b.id), h1(b.kind), h1(b.blamed_function), badges(b), rank <= m_options.open_sections ? " open" : "");
    out += "<dl>\n";
    out += "<dt>message</dt><dd><pre>" + h(b.message) + "</pre></dd>\n";
    out += fmt::format("<dt>severity</dt><dd class=\"sev-{0}\">{0}</dd>\n", core::to_string(b.severity));
    if (b.status) {
      out += fmt::format("<dt>on this build</dt><dd><span class=\"badge status-{0}\">{0}</span> (against the build "
                         "before)</dd>\n",
                         core::to_string(*b.status));
    }
    if (const std::string at = location(b.blamed_file, b.blamed_line); !at.empty()) {
      out += "<dt>location</dt><dd>" + at + "</dd>\n";
    }
    if (!b.state_label.empty()) {
      out += "<dt>signature</dt><dd><code>" + h1(b.signature) + "</code></dd>\n";
      out += "<dt>device state</dt><dd><code>" + h1(b.state_label) + "</code></dd>\n";
    }
    out += fmt::format("<dt>count</dt><dd>{} ({})</dd>\n", b.count, h1(join(b.targets, ", ")));
    out += fmt::format("<dt>representative</dt><dd><code>{}</code> ({} bytes)</dd>\n", h1(b.representative),
                       b.representative_size);
    if (!b.minimized_from.empty()) {
      out += fmt::format("<dt>minimized</dt><dd class=\"minimized\">{} &rarr; {} bytes, from <code>{}</code></dd>\n",
                         b.minimized_from_size, b.representative_size, h1(b.minimized_from));
    }
    out += reproducer(b, rank);
    if (!b.first_seen.empty()) {
      out += fmt::format("<dt>seen</dt><dd>{} to {}</dd>\n", h1(b.first_seen), h1(b.last_seen));
    }
    out += "</dl>\n";
    if (!b.frames.empty()) {
      out += "<h3>Signature frames</h3>\n" + code_list(b.frames, "ol");
    }
    if (!b.backtrace.empty() || !b.backtrace_frames.empty()) {
      out += "<h3>Backtrace (representative)</h3>\n" + backtrace(b);
    }
    if (!b.state_facts.empty()) {
      out += "<h3>Device state (representative)</h3>\n" + code_list(b.state_facts, "ul");
    }
    if (!b.action.empty()) {
      out += "<h3>Fuzz action (representative)</h3>\n" + code_list({b.action}, "ul");
    }
    if (!b.evidence.empty()) {
      out += "<h3>Sanitizer report (representative)</h3>\n" + code_list(b.evidence, "ul");
    }
    std::map<std::string, const core::FlakyArtifact*> flaky;
    for (const auto& f : b.flaky) {
      flaky[f.artifact] = &f;
    }
    out += fmt::format("<h3>Artifacts ({})</h3>\n<ul class=\"artifacts\">", b.artifacts.size());
    for (const auto& a : b.artifacts) {
      out += "<li><code>" + h1(a) + "</code>";
      if (const auto it = flaky.find(a); it != flaky.end()) {
        out += " <span class=\"flaky\">" + core::flaky_note(it->second->crashing_runs, it->second->runs) + "</span>";
      }
      out += "</li>";
    }
    out += "</ul>\n";
    if (!b.similar.empty()) {
      out += "<h3>Similar buckets</h3>\n<ul class=\"similar\">";
      for (const auto& sim : b.similar) {
        const auto it = m_rank_of.find(sim.bucket);
        const std::string anchor = it == m_rank_of.end() ? "" : fmt::format(" href=\"#bucket-{}\"", it->second);
        out += fmt::format("<li>possibly the same bug as <a{}><code>{}</code></a> ({})</li>", anchor, h1(sim.bucket),
                           h1(sim.reason));
      }
      out += "</ul>\n";
    }
    return out + "</details>\n";
  }

  /// The build before's buckets this build no longer has.
  std::string gone_section() const {
    return list_section("gone", "Gone on this build", m_summary.gone, [](const core::BucketComparison& c) {
      std::string out = fmt::format("<span class=\"badge status-{0}\">{0}</span> <code>{1}</code>: {2} in <code>{3}</code> "
                                    "({4} artifact{5} on the build before)",
                                    core::to_string(c.status), h1(c.bucket), h1(c.kind), h1(c.blamed_function),
                                    c.baseline_count, c.baseline_count == 1 ? "" : "s");
      if (!c.moved_to.empty()) {
        std::string to;
        for (const auto& m : c.moved_to) {
          to += (to.empty() ? "" : ", ") + ("<code>" + h1(m) + "</code>");
        }
        out += ", now in " + to;
      }
      return out;
    });
  }

  template <class Rows, class Line>
  static std::string list_section(const char* id, const char* title, const Rows& rows, Line line) {
    if (rows.empty()) {
      return "";
    }
    std::string out = fmt::format("<section id=\"{}\">\n<h2>{} ({})</h2>\n<ul>", id, title, rows.size());
    for (const auto& row : rows) {
      out += "<li>" + line(row) + "</li>";
    }
    return out + "</ul>\n</section>\n";
  }

  const std::vector<core::Bucket>& m_buckets;
  const CampaignSummary& m_summary;
  const HtmlOptions& m_options;
  std::string m_root;
  std::map<std::string, size_t> m_rank_of;
};

}  // namespace

std::string buckets_html(const std::vector<core::Bucket>& buckets, const CampaignSummary& summary,
                         const HtmlOptions& options) {
  return Page(buckets, summary, options).render();
}

}  // namespace triage::emit
