// The HTML bucket report's own style sheet and script, the only ones its Content Security Policy
// admits (by hash).
#include "triage/emit/bucket_html_assets.hpp"

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <fmt/format.h>

namespace triage::emit {
namespace {

constexpr std::string_view k_style = R"css(
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1d1d1f; background: #fff; }
h1 { font-size: 1.5em; margin: 0 0 .3em; }
h2 { font-size: 1.15em; margin: 1.6em 0 .4em; border-bottom: 1px solid #ccc; }
details.bucket > summary h2 { display: inline; border: 0; margin: 0; }
details.bucket > summary { margin: 1.2em 0 .4em; border-bottom: 1px solid #ccc; cursor: pointer; }
h3 { font-size: 1em; margin: 1em 0 .3em; }
code, pre, td.id { font-family: ui-monospace, monospace; font-size: 12.5px; }
pre { white-space: pre-wrap; word-break: break-all; background: #f5f5f7; padding: .4em .6em; margin: 0; }
table { border-collapse: collapse; }
#buckets { width: 100%; }
th, td { border: 1px solid #d0d0d5; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #e8e8ee; white-space: nowrap; }
#buckets th { cursor: pointer; user-select: none; }
th[aria-sort="ascending"]::after { content: " \25B2"; }
th[aria-sort="descending"]::after { content: " \25BC"; }
td.num { text-align: right; }
td.id, td.nowrap { white-space: nowrap; }
td { overflow-wrap: anywhere; }
li code { white-space: pre-wrap; }
#buckets tbody tr:nth-child(even) { background: #fafafc; }
.sev-exploitable { color: #b00020; font-weight: 600; }
.sev-probably-exploitable { color: #b35900; font-weight: 600; }
rect.sev-exploitable { fill: #c62839; }
rect.sev-probably-exploitable { fill: #e08a1e; }
rect.sev-not-exploitable { fill: #6d7fa8; }
.chart text { font: 12px system-ui, sans-serif; fill: #1d1d1f; }
.flaky { color: #8a4b00; font-weight: 600; }
.badge { display: inline-block; padding: 0 .45em; margin-left: .3em; border-radius: .7em; font-size: 11px;
         font-weight: 600; white-space: nowrap; background: #eceef2; color: #333; }
.badge.new { background: #ffe0e3; color: #a1001b; }
.badge.status-fixed { background: #dcf3e0; color: #17612a; }
.badge.status-changed { background: #e3ebff; color: #1d3f8f; }
.badge.status-flaky { background: #fff0d6; color: #8a4b00; }
#counts { display: flex; flex-wrap: wrap; gap: .6em; list-style: none; padding: 0; margin: .6em 0; }
#counts li { border: 1px solid #d0d0d5; border-radius: .4em; padding: .3em .8em; background: #fafafc; }
#counts b { font-size: 1.3em; display: block; }
.breakdowns { display: flex; flex-wrap: wrap; gap: 1.5em; align-items: flex-start; margin: .6em 0 1em; }
.breakdowns caption { text-align: left; font-weight: 600; padding-bottom: .2em; }
#filters { display: flex; flex-wrap: wrap; gap: .6em; align-items: center; margin: .8em 0; }
#filters input { min-width: 18em; padding: .2em .4em; }
#shown { color: #555; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; margin: .4em 0; }
dt { font-weight: 600; }
dd { margin: 0; }
.module, .ignored { color: #666; }
details.lldb > summary { cursor: pointer; }
)css";

constexpr std::string_view k_script = R"js(
(function () {
  'use strict';
  const table = document.getElementById('buckets');
  const body = table.tBodies[0];
  const headers = Array.from(table.tHead.rows[0].cells);
  const sections = new Map();
  document.querySelectorAll('details.bucket').forEach(function (d) { sections.set(d.dataset.bucket, d); });
  const controls = {};
  ['q', 'kind', 'severity', 'target', 'status'].forEach(function (key) {
    const element = document.getElementById('filter-' + key);
    if (element) {
      controls[key] = element;
    }
  });
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
  function words(list) { return list ? list.split(' ').map(decodeURIComponent) : []; }
  function matches(row, f) {
    if (f.kind && row.dataset.kind !== f.kind) { return false; }
    if (f.severity && row.dataset.severity !== f.severity) { return false; }
    if (f.target && words(row.dataset.targets).indexOf(f.target) < 0) { return false; }
    if (f.status && words(row.dataset.status).indexOf(f.status) < 0) { return false; }
    if (f.q) {
      const section = sections.get(row.dataset.bucket);
      const text = (row.textContent + ' ' + (section ? section.textContent : '')).toLowerCase();
      return f.q.toLowerCase().split(/\s+/).every(function (w) { return text.indexOf(w) >= 0; });
    }
    return true;
  }
  function filters() {
    const f = {};
    Object.keys(controls).forEach(function (key) { f[key] = controls[key].value.trim(); });
    return f;
  }
  function applyFilters() {
    const f = filters();
    let shown = 0;
    Array.from(body.rows).forEach(function (row) {
      const ok = matches(row, f);
      row.hidden = !ok;
      const section = sections.get(row.dataset.bucket);
      if (section) { section.hidden = !ok; }
      shown += ok ? 1 : 0;
    });
    table.dataset.shown = String(shown);
    document.getElementById('shown').textContent = shown + ' of ' + body.rows.length + ' buckets shown';
  }
  function writeHash() {
    const params = new URLSearchParams();
    const f = filters();
    Object.keys(f).forEach(function (key) { if (f[key]) { params.set(key, f[key]); } });
    if (table.dataset.sortKey) {
      params.set('sort', table.dataset.sortKey + (table.dataset.sortDirection === 'ascending' ? '-asc' : '-desc'));
    }
    try { history.replaceState(null, '', '#' + params.toString()); } catch (e) { /* file: pages may refuse */ }
  }
  function readHash() {
    const hash = decodeURIComponent(window.location.hash.slice(1));
    if (hash.startsWith('bucket-')) {
      const target = document.getElementById(hash);
      if (target && target.tagName === 'DETAILS') { target.open = true; }
      return;
    }
    const params = new URLSearchParams(window.location.hash.slice(1));
    Object.keys(controls).forEach(function (key) { controls[key].value = params.get(key) || ''; });
    const wanted = /^([a-z]+)(?:-(asc|desc))?$/.exec(params.get('sort') || '');
    if (wanted) {
      const column = headers.findIndex(function (h) { return h.dataset.key === wanted[1]; });
      if (column >= 0) {
        sortBy(column, wanted[2] === 'asc' ? 'ascending' : 'descending');
      }
    }
    applyFilters();
  }
  headers.forEach(function (h, column) {
    h.addEventListener('click', function () {
      const current = h.getAttribute('aria-sort');
      const next = current ? (current === 'ascending' ? 'descending' : 'ascending')
                           : (h.dataset.first || 'ascending');
      sortBy(column, next);
      writeHash();
    });
  });
  Object.keys(controls).forEach(function (key) {
    controls[key].addEventListener(key === 'q' ? 'input' : 'change', function () { applyFilters(); writeHash(); });
  });
  document.addEventListener('click', function (event) {
    const link = event.target.closest ? event.target.closest('a[href^="#bucket-"]') : null;
    const target = link ? document.getElementById(link.getAttribute('href').slice(1)) : null;
    if (target && target.tagName === 'DETAILS') { target.open = true; }
  });
  window.addEventListener('hashchange', readHash);
  readHash();
  table.dataset.ready = 'true';
})();
)js";

}  // namespace

std::string_view html_style() { return k_style; }
std::string_view html_script() { return k_script; }

/// The CSP source expression of an inline element's text: 'sha256-<base64>'.
std::string csp_hash(std::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  unsigned char b64[4 * ((SHA256_DIGEST_LENGTH + 2) / 3) + 1];
  EVP_EncodeBlock(b64, digest, SHA256_DIGEST_LENGTH);
  return fmt::format("'sha256-{}'", reinterpret_cast<const char*>(b64));
}

}  // namespace triage::emit
