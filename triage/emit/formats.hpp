#pragma once
// The output formats, one table per kind of output: the names the command line accepts (CLI11's
// allowed values come from here), their help, the file bulk writes each bucket format to, and the
// renderer. A new format is one row.
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "triage/core/bucket.hpp"
#include "triage/emit/bucket_emitters.hpp"

namespace triage::emit {

/// A one-shot report (`triage BIN ART`, replay, core, attach): for people, or JSON.
enum class ReportFormat { text, json };
/// A build comparison (`triage compare`).
enum class ComparisonFormat { table, json };
/// The bucket reports of a campaign (`bulk`, `report`, `merge`).
enum class BucketFormat { table, markdown, json, html, sarif };

struct BucketRenderOptions {
  TableOptions table;
  HtmlOptions html;
  SarifOptions sarif;
};

template <class Format>
struct FormatInfo {
  Format format;
  std::string_view name;
  std::string_view help;
};

struct BucketFormatInfo {
  BucketFormat format;
  std::string_view name;
  std::string_view help;
  std::string_view file;  ///< written next to the store by every bucket-report command; empty: none
  std::string (*render)(const std::vector<core::Bucket>&, const CampaignSummary&, const BucketRenderOptions&);
};

std::span<const FormatInfo<ReportFormat>> report_formats();
std::span<const FormatInfo<ComparisonFormat>> comparison_formats();
std::span<const BucketFormatInfo> bucket_formats();

const BucketFormatInfo& bucket_format_info(BucketFormat format);
std::string_view to_string(ReportFormat format);
std::string_view to_string(ComparisonFormat format);
std::string_view to_string(BucketFormat format);

/// By name; nullopt for a name the table does not have.
std::optional<ReportFormat> report_format_from_string(std::string_view name);
std::optional<ComparisonFormat> comparison_format_from_string(std::string_view name);
std::optional<BucketFormat> bucket_format_from_string(std::string_view name);

/// The names of a table, in its order (CLI11's IsMember list).
template <class Table>
std::vector<std::string> format_names(const Table& table) {
  std::vector<std::string> out;
  for (const auto& row : table) {
    out.emplace_back(row.name);
  }
  return out;
}

}  // namespace triage::emit
