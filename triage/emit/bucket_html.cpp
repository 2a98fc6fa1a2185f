// The HTML bucket report: one self-contained page (no network resource), a sortable bucket table and
// one detail section per bucket. Every untrusted string goes through html_text(); the Content
// Security Policy admits only this file's own style sheet and script (by hash), so markup that slipped
// through escaping still could not run.
#include <openssl/evp.h>
#include <openssl/sha.h>

#include <map>

#include <fmt/format.h>

#include "triage/emit/bucket_emitters.hpp"
#include "triage/core/build_compare.hpp"
#include "triage/emit/bucket_format.hpp"
#include "triage/emit/escape.hpp"

namespace triage::emit {
namespace {

constexpr std::string_view k_style = R"css(
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1d1d1f; background: #fff; }
h1 { font-size: 1.5em; margin: 0 0 .3em; }
h2 { font-size: 1.15em; margin: 1.6em 0 .4em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1em; margin: 1em 0 .3em; }
code, pre, td.id { font-family: ui-monospace, monospace; font-size: 12.5px; }
pre { white-space: pre-wrap; word-break: break-all; background: #f5f5f7; padding: .4em .6em; margin: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #d0d0d5; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #e8e8ee; cursor: pointer; user-select: none; white-space: nowrap; }
th[aria-sort="ascending"]::after { content: " \25B2"; }
th[aria-sort="descending"]::after { content: " \25BC"; }
td.num { text-align: right; }
td.id, td.nowrap { white-space: nowrap; }
td { overflow-wrap: anywhere; }
li code { white-space: pre-wrap; }
tbody tr:nth-child(even) { background: #fafafc; }
.sev-exploitable { color: #b00020; font-weight: 600; }
.sev-probably-exploitable { color: #b35900; font-weight: 600; }
.flaky { color: #8a4b00; font-weight: 600; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; margin: .4em 0; }
dt { font-weight: 600; }
dd { margin: 0; }
section.bucket { margin-top: 1.5em; }
)css";

constexpr std::string_view k_script = R"js(
(function () {
  'use strict';
  const table = document.getElementById('buckets');
  const body = table.tBodies[0];
  const headers = Array.from(table.tHead.rows[0].cells);
  function value(row, column) {
    const cell = row.cells[column];
    const raw = cell.dataset.sort !== undefined ? cell.dataset.sort : cell.textContent;
    return headers[column].dataset.type === 'num' ? Number(raw) : raw;
  }
  function sortBy(column, direction) {
    const sign = direction === 'ascending' ? 1 : -1;
    const rows = Array.from(body.rows);
    rows.sort(function (a, b) {
      const x = value(a, column);
      const y = value(b, column);
      const order = x < y ? -1 : (x > y ? 1 : 0);
      return order !== 0 ? sign * order : value(a, 0) - value(b, 0);
    });
    rows.forEach(function (row) { body.appendChild(row); });
    headers.forEach(function (h) { h.removeAttribute('aria-sort'); });
    headers[column].setAttribute('aria-sort', direction);
    table.dataset.sortKey = headers[column].dataset.key;
    table.dataset.sortDirection = direction;
  }
  headers.forEach(function (h, column) {
    h.addEventListener('click', function () {
      const current = h.getAttribute('aria-sort');
      const next = current ? (current === 'ascending' ? 'descending' : 'ascending')
                           : (h.dataset.first || 'ascending');
      sortBy(column, next);
    });
  });
  // #sort=count-desc (or id-asc, ...) in the URL picks the initial order.
  const wanted = /^#sort=([a-z]+)(?:-(asc|desc))?$/.exec(window.location.hash);
  if (wanted) {
    const column = headers.findIndex(function (h) { return h.dataset.key === wanted[1]; });
    if (column >= 0) {
      sortBy(column, wanted[2] === 'asc' ? 'ascending' : 'descending');
    }
  }
  table.dataset.ready = 'true';
})();
)js";

/// The CSP source expression of an inline element's text: 'sha256-<base64>'.
std::string csp_hash(std::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  unsigned char b64[4 * ((SHA256_DIGEST_LENGTH + 2) / 3) + 1];
  EVP_EncodeBlock(b64, digest, SHA256_DIGEST_LENGTH);
  return fmt::format("'sha256-{}'", reinterpret_cast<const char*>(b64));
}

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

/// <ol> or <ul> of code items; an <ol> counts from 0 like a backtrace when `from_zero`.
std::string code_list(const std::vector<std::string>& items, const char* tag, bool from_zero = false) {
  std::string out = fmt::format("<{}{}>", tag, from_zero ? " start=\"0\"" : "");
  for (const auto& x : items) {
    out += "<li><code>" + h1(x) + "</code></li>";
  }
  return out + fmt::format("</{}>\n", tag);
}

std::string table_row(const core::Bucket& b, size_t rank) {
  const std::string sev(core::to_string(b.severity));
  return fmt::format(
      "<tr id=\"row-{0}\" data-bucket=\"{1}\"><td class=\"num\">{0}</td><td class=\"id\"><a href=\"#bucket-{0}\">{1}</a></td>"
      "<td class=\"num\">{2}</td><td class=\"nowrap\">{3}</td><td class=\"nowrap sev-{4}\" data-sort=\"{5}\">{4}</td><td>{6}</td><td><code>{7}</code></td>"
      "<td>{8}</td><td title=\"{9}\">{10}</td></tr>\n",
      rank, h1(b.id), b.count,
      b.status ? h1(b.kind) + " <strong class=\"status\">" + std::string(core::to_string(*b.status)) + "</strong>" : h1(b.kind),
      sev, severity_rank(b.severity), h1(shorten(b.message, 160)),
      h1(b.blamed_function), h1(join(b.targets, ", ")), h1(b.representative), h1(basename_of(b.representative)));
}

std::string detail_section(const core::Bucket& b, size_t rank, const std::map<std::string, size_t>& rank_of) {
  std::string out = fmt::format("<section class=\"bucket\" id=\"bucket-{}\">\n<h2>{}. <code>{}</code>: {} in <code>{}</code></h2>\n",
                                rank, rank, h1(b.id), h1(b.kind), h1(b.blamed_function));
  out += "<dl>\n";
  out += "<dt>message</dt><dd><pre>" + h(b.message) + "</pre></dd>\n";
  out += fmt::format("<dt>severity</dt><dd class=\"sev-{0}\">{0}</dd>\n", core::to_string(b.severity));
  if (b.status) {
    out += fmt::format("<dt>on this build</dt><dd><strong class=\"status\">{}</strong> (against the build before)</dd>\n",
                       core::to_string(*b.status));
  }
  if (!b.blamed_location.empty()) {
    out += "<dt>location</dt><dd><code>" + h1(b.blamed_location) + "</code></dd>\n";
  }
  if (!b.state_label.empty()) {
    out += "<dt>signature</dt><dd><code>" + h1(b.signature) + "</code></dd>\n";
    out += "<dt>device state</dt><dd><code>" + h1(b.state_label) + "</code></dd>\n";
  }
  out += fmt::format("<dt>count</dt><dd>{} ({})</dd>\n", b.count, h1(join(b.targets, ", ")));
  out += fmt::format("<dt>representative</dt><dd><code>{}</code> ({} bytes)</dd>\n", h1(b.representative),
                     b.representative_size);
  if (!b.first_seen.empty()) {
    out += fmt::format("<dt>seen</dt><dd>{} to {}</dd>\n", h1(b.first_seen), h1(b.last_seen));
  }
  out += "</dl>\n";
  if (!b.frames.empty()) {
    out += "<h3>Signature frames</h3>\n" + code_list(b.frames, "ol");
  }
  if (!b.backtrace.empty()) {
    out += "<h3>Backtrace (representative)</h3>\n" + code_list(b.backtrace, "ol", true);
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
      const auto it = rank_of.find(sim.bucket);
      const std::string anchor = it == rank_of.end() ? "" : fmt::format(" href=\"#bucket-{}\"", it->second);
      out += fmt::format("<li>possibly the same bug as <a{}><code>{}</code></a> ({})</li>", anchor, h1(sim.bucket),
                         h1(sim.reason));
    }
    out += "</ul>\n";
  }
  return out + "</section>\n";
}

template <class Rows, class Line>
std::string list_section(const char* id, const char* title, const Rows& rows, Line line) {
  if (rows.empty()) {
    return "";
  }
  std::string out = fmt::format("<section id=\"{}\">\n<h2>{} ({})</h2>\n<ul>", id, title, rows.size());
  for (const auto& row : rows) {
    out += "<li>" + line(row) + "</li>";
  }
  return out + "</ul>\n</section>\n";
}

}  // namespace

std::string buckets_html(const std::vector<core::Bucket>& buckets, const CampaignSummary& s) {
  std::map<std::string, size_t> rank_of;
  for (size_t i = 0; i < buckets.size(); ++i) {
    rank_of[buckets[i].id] = i + 1;
  }
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  if (s.refresh_seconds > 0) {
    out += fmt::format("<meta http-equiv=\"refresh\" content=\"{}\">\n", s.refresh_seconds);
  }
  out += fmt::format(
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src {}; script-src {}; "
      "base-uri 'none'; form-action 'none'\">\n",
      csp_hash(k_style), csp_hash(k_script));
  out += "<title>triage: crash buckets</title>\n";
  out += fmt::format("<style>{}</style>\n</head>\n<body>\n", k_style);
  out += "<h1>Crash buckets</h1>\n";
  out += "<p id=\"summary\">" + h1(summary_line(buckets, s)) + ".</p>\n";
  out += "<table id=\"buckets\">\n<thead><tr>"
         "<th data-key=\"rank\" data-type=\"num\">#</th><th data-key=\"id\">bucket</th>"
         "<th data-key=\"count\" data-type=\"num\" data-first=\"descending\">count</th><th data-key=\"kind\">kind</th>"
         "<th data-key=\"severity\" data-type=\"num\">severity</th><th data-key=\"message\">message</th>"
         "<th data-key=\"blamed\">blamed frame</th><th data-key=\"targets\">targets</th>"
         "<th data-key=\"representative\">representative</th></tr></thead>\n<tbody>\n";
  for (size_t i = 0; i < buckets.size(); ++i) {
    out += table_row(buckets[i], i + 1);
  }
  out += "</tbody>\n</table>\n";
  for (size_t i = 0; i < buckets.size(); ++i) {
    out += detail_section(buckets[i], i + 1, rank_of);
  }
  out += list_section("no-repro", "No-repro", s.no_repro_artifacts, [](const auto& row) {
    return "<code>" + h1(row.first) + "</code>" + h1(runs_note(row.second));
  });
  out += list_section("errors", "Errors", s.error_artifacts, [](const auto& row) {
    return "<code>" + h1(row.first) + "</code>: " + h1(row.second);
  });
  out += list_section("unmapped", "Unmapped", s.unmapped, [](const auto& row) {
    return "<code>" + h1(row.first) + "</code>: " + h1(row.second);
  });
  out += fmt::format("<script>{}</script>\n</body>\n</html>\n", k_script);
  return out;
}

}  // namespace triage::emit
