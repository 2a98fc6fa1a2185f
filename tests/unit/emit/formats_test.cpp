// The format tables: the names the command line accepts, the files bulk writes, and that each row
// renders with its own emitter.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "bucket_fixture.hpp"
#include "triage/emit/escape.hpp"
#include "triage/emit/formats.hpp"

namespace triage::emit {
namespace {

TEST(Formats, NamesInTableOrderAndBackFromTheirNames) {
  EXPECT_EQ(format_names(report_formats()), (std::vector<std::string>{"text", "json"}));
  EXPECT_EQ(format_names(comparison_formats()), (std::vector<std::string>{"table", "json"}));
  EXPECT_EQ(format_names(bucket_formats()), (std::vector<std::string>{"table", "markdown", "json", "html", "sarif"}));
  for (const auto& f : bucket_formats()) {
    EXPECT_EQ(bucket_format_from_string(f.name), f.format);
    EXPECT_EQ(to_string(f.format), f.name);
  }
  EXPECT_EQ(report_format_from_string("json"), ReportFormat::json);
  EXPECT_EQ(comparison_format_from_string("table"), ComparisonFormat::table);
  EXPECT_FALSE(bucket_format_from_string("yaml").has_value());
  EXPECT_FALSE(report_format_from_string("table").has_value());
}

TEST(Formats, EveryBucketFormatButTheTableHasItsFile) {
  std::vector<std::string> files;
  for (const auto& f : bucket_formats()) {
    files.emplace_back(f.file);
  }
  EXPECT_EQ(files, (std::vector<std::string>{"", "buckets.md", "buckets.json", "buckets.html", "buckets.sarif"}));
}

TEST(Formats, EachRowRendersWithItsEmitter) {
  const auto records = testing::fixture_records();
  const auto buckets = core::make_buckets(records);
  const auto summary = testing::fixture_summary(records);
  BucketRenderOptions o;
  o.table.width = 100;
  o.sarif = testing::fixture_sarif_options();
  EXPECT_EQ(bucket_format_info(BucketFormat::table).render(buckets, summary, o), buckets_table(buckets, summary, {100}));
  EXPECT_EQ(bucket_format_info(BucketFormat::markdown).render(buckets, summary, o), buckets_markdown(buckets, summary));
  EXPECT_EQ(bucket_format_info(BucketFormat::json).render(buckets, summary, o),
            json_text(buckets_json(buckets, summary)) + "\n");
  EXPECT_EQ(bucket_format_info(BucketFormat::html).render(buckets, summary, o), buckets_html(buckets, summary));
  EXPECT_EQ(bucket_format_info(BucketFormat::sarif).render(buckets, summary, o),
            json_text(buckets_sarif(buckets, summary, testing::fixture_sarif_options())) + "\n");
}

}  // namespace
}  // namespace triage::emit
