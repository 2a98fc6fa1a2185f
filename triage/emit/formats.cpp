#include "triage/emit/formats.hpp"

#include <algorithm>
#include <array>

#include <nlohmann/json.hpp>

#include "triage/emit/escape.hpp"

namespace triage::emit {
namespace {

constexpr std::array<FormatInfo<ReportFormat>, 2> k_report_formats{{
    {ReportFormat::text, "text", "for people: the crash, blamed frame, backtrace and device state"},
    {ReportFormat::json, "json", "one JSON object (docs/json-schema.md)"},
}};

constexpr std::array<FormatInfo<ComparisonFormat>, 2> k_comparison_formats{{
    {ComparisonFormat::table, "table", "one line per bucket, then the counts"},
    {ComparisonFormat::json, "json", "counts and buckets as JSON"},
}};

std::string render_table(const std::vector<core::Bucket>& b, const CampaignSummary& s, const BucketRenderOptions& o) {
  return buckets_table(b, s, o.table);
}
std::string render_markdown(const std::vector<core::Bucket>& b, const CampaignSummary& s, const BucketRenderOptions&) {
  return buckets_markdown(b, s);
}
std::string render_json(const std::vector<core::Bucket>& b, const CampaignSummary& s, const BucketRenderOptions&) {
  return json_text(buckets_json(b, s)) + "\n";
}
std::string render_html(const std::vector<core::Bucket>& b, const CampaignSummary& s, const BucketRenderOptions& o) {
  return buckets_html(b, s, o.html);
}
std::string render_sarif(const std::vector<core::Bucket>& b, const CampaignSummary& s, const BucketRenderOptions& o) {
  return json_text(buckets_sarif(b, s, o.sarif)) + "\n";
}

constexpr std::array<BucketFormatInfo, 5> k_bucket_formats{{
    {BucketFormat::table, "table", "a terminal table that fits the width", "", render_table},
    {BucketFormat::markdown, "markdown", "Markdown for an issue tracker", "buckets.md", render_markdown},
    {BucketFormat::json, "json", "JSON (docs/json-schema.md)", "buckets.json", render_json},
    {BucketFormat::html, "html", "one self-contained page with a summary, filters and sections", "buckets.html",
     render_html},
    {BucketFormat::sarif, "sarif", "SARIF 2.1.0 for code-scanning UIs", "buckets.sarif", render_sarif},
}};

template <class Table, class Format>
const auto& row_of(const Table& table, Format format) {
  return *std::ranges::find(table, format, [](const auto& row) { return row.format; });
}

template <class Table>
auto by_name(const Table& table, std::string_view name) -> std::optional<decltype(table[0].format)> {
  const auto it = std::ranges::find(table, name, [](const auto& row) { return row.name; });
  return it == table.end() ? std::nullopt : std::optional(it->format);
}

}  // namespace

std::span<const FormatInfo<ReportFormat>> report_formats() { return k_report_formats; }
std::span<const FormatInfo<ComparisonFormat>> comparison_formats() { return k_comparison_formats; }
std::span<const BucketFormatInfo> bucket_formats() { return k_bucket_formats; }

const BucketFormatInfo& bucket_format_info(BucketFormat format) { return row_of(k_bucket_formats, format); }
std::string_view to_string(ReportFormat format) { return row_of(k_report_formats, format).name; }
std::string_view to_string(ComparisonFormat format) { return row_of(k_comparison_formats, format).name; }
std::string_view to_string(BucketFormat format) { return row_of(k_bucket_formats, format).name; }

std::optional<ReportFormat> report_format_from_string(std::string_view name) { return by_name(k_report_formats, name); }
std::optional<ComparisonFormat> comparison_format_from_string(std::string_view name) {
  return by_name(k_comparison_formats, name);
}
std::optional<BucketFormat> bucket_format_from_string(std::string_view name) { return by_name(k_bucket_formats, name); }

}  // namespace triage::emit
