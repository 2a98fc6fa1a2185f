// The bucket emitters on a fixed campaign (bucket_fixture.hpp): golden files for every format, and
// the escaping of hostile strings asserted directly. Regenerate the goldens with TRIAGE_UPDATE_GOLDEN=1.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "bucket_fixture.hpp"
#include "triage/emit/bucket_format.hpp"
#include "triage/emit/escape.hpp"

namespace triage::testing {
namespace {

namespace fs = std::filesystem;

struct Emitted {
  std::vector<core::Bucket> buckets;
  emit::CampaignSummary summary;
};

Emitted emitted() {
  const auto records = fixture_records();
  return {core::make_buckets(records), fixture_summary(records)};
}

std::string emit_as(const std::string& format) {
  const auto e = emitted();
  if (format == "txt") {
    return emit::buckets_table(e.buckets, e.summary);
  }
  if (format == "md") {
    return emit::buckets_markdown(e.buckets, e.summary);
  }
  if (format == "json" || format == "html") {
    // As a rebuilt binary's run: statuses, new buckets, reproducers, buckets gone.
    const auto records = fixture_records();
    const auto buckets = fixture_compared_buckets(records);
    auto summary = fixture_summary(records);
    summary.gone = fixture_gone();
    return format == "json" ? emit::json_text(emit::buckets_json(buckets, summary)) + "\n"
                            : emit::buckets_html(buckets, summary, fixture_html_options());
  }
  return emit::json_text(emit::buckets_sarif(e.buckets, e.summary, fixture_sarif_options())) + "\n";
}

class BucketEmitterGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(BucketEmitterGolden, MatchesTheGoldenFile) {
  const std::string actual = emit_as(GetParam());
  const fs::path golden = fs::path(TRIAGE_UNIT_GOLDEN_DIR) / ("buckets." + GetParam());
  if (std::getenv("TRIAGE_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(golden, std::ios::binary) << actual;
    GTEST_SKIP() << "updated " << golden;
  }
  std::ifstream in(golden, std::ios::binary);
  ASSERT_TRUE(in) << "missing golden file " << golden << " (run with TRIAGE_UPDATE_GOLDEN=1)";
  std::stringstream expected;
  expected << in.rdbuf();
  EXPECT_EQ(actual, expected.str());
}

INSTANTIATE_TEST_SUITE_P(Formats, BucketEmitterGolden, ::testing::Values("txt", "md", "json", "html", "sarif"),
                         [](const auto& info) { return info.param; });

TEST(BucketEmitters, BucketsOfTheFixture) {
  const auto e = emitted();
  ASSERT_EQ(e.buckets.size(), 4u);
  // Severity first, then count.
  EXPECT_EQ(e.buckets[0].id, "v1-65a72318f725733c");
  EXPECT_EQ(e.buckets[1].id, "v1-a731dbab44de2e04");
  EXPECT_EQ(e.buckets[1].count, 3u);
  ASSERT_EQ(e.buckets[1].flaky.size(), 1u);
  EXPECT_EQ(e.buckets[1].flaky[0].artifact, "artifacts/fuzz_rtc/crash-9f10");
  EXPECT_EQ(e.summary.flaky, 1u);
  ASSERT_EQ(e.summary.no_repro_artifacts.size(), 1u);
  EXPECT_EQ(e.summary.no_repro_artifacts[0].second, 3u);
}

TEST(BucketEmitters, TableKeepsEveryRowOnOneLine) {
  const std::string table = emit_as("txt");
  EXPECT_NE(table.find("<script>document.title='pwned'</script> |...  artifacts/fuzz_ide_rs/crash-<img"), std::string::npos) << table;
  EXPECT_EQ(table.find('\x1b'), std::string::npos);
  EXPECT_NE(table.find("flaky: reproduced 1 of 3 runs: artifacts/fuzz_rtc/crash-9f10"), std::string::npos);
  EXPECT_NE(table.find("artifacts/fuzz_uart/crash-dead|`x`  (no crash in 3 runs)"), std::string::npos);
  EXPECT_NE(table.find("crashes in 4 buckets (1 flaky), 1 no-repro, 1 errors"), std::string::npos);
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    out.push_back(line);
  }
  return out;
}

/// The rows of the bucket table (from the header to the blank line after the last bucket).
std::vector<std::string> table_rows(const std::string& table) {
  const auto lines = lines_of(table);
  std::vector<std::string> rows;
  for (size_t i = 2; i < lines.size() && !lines[i].empty(); ++i) {
    rows.push_back(lines[i]);
  }
  return rows;
}

TEST(BucketEmitters, TableFitsTheTerminalWidth) {
  const auto e = emitted();
  // Wide enough for all: one line per bucket with the representative at its end, a severity column.
  auto rows = table_rows(emit::buckets_table(e.buckets, e.summary, {220}));
  ASSERT_EQ(rows.size(), 1u + 4 + 3);  // header, 4 buckets, 3 notes
  EXPECT_TRUE(rows[0].starts_with("  #  bucket               count  sev     kind            blamed frame")) << rows[0];
  EXPECT_TRUE(rows[0].ends_with("representative")) << rows[0];
  EXPECT_NE(rows[1].find("  high    use-after-free  devices::uart::Uart::read_rbr"), std::string::npos) << rows[1];
  EXPECT_TRUE(rows[1].ends_with("artifacts/fuzz_uart/crash-71c5")) << rows[1];
  // 160 columns: the representative moves under its row, nothing else does.
  rows = table_rows(emit::buckets_table(e.buckets, e.summary, {160}));
  ASSERT_GE(rows.size(), 3u);
  EXPECT_EQ(rows[1],
            "  1  v1-65a72318f725733c      2  high    use-after-free  devices::uart::Uart::read_rbr                  "
            "heap-use-after-free: READ of size 1 at 0x...");
  EXPECT_EQ(rows[2], std::string(28, ' ') + "artifacts/fuzz_uart/crash-71c5");
  // 120: the blamed frame (its end kept) and the message share what is left.
  rows = table_rows(emit::buckets_table(e.buckets, e.summary, {120}));
  for (const auto& r : rows) {
    EXPECT_LE(emit::display_width(r), 120u) << r;
  }
  EXPECT_EQ(rows[1], "  1  v1-65a72318f725733c      2  high    use-after-free  devices::uart::Uart::read_rbr    "
                     "heap-use-after-free: READ o...");
  EXPECT_EQ(rows[rows.size() - 2], "  4  v1-98ee76bb953a5826      1  low     rust-panic      ...hannel<'a>>::execute_command  "
                                   "<script>document.title='pwn...");
  // 80: the message goes under the row too; the blamed frame takes the rest.
  rows = table_rows(emit::buckets_table(e.buckets, e.summary, {80}));
  for (const auto& r : rows) {
    if (!r.starts_with(std::string(28, ' '))) {  // notes and paths under a row may be longer
      EXPECT_LE(emit::display_width(r), 80u) << r;
    }
  }
  EXPECT_EQ(rows[1], "  1  v1-65a72318f725733c      2  high    use-after-free  ...uart::Uart::read_rbr");
  EXPECT_EQ(rows[2], std::string(28, ' ') + "heap-use-after-free: READ of size 1 at 0x602000000011");
  EXPECT_EQ(rows[3], std::string(28, ' ') + "artifacts/fuzz_uart/crash-71c5");
  // Narrower than the fixed columns: the blamed frame keeps 12.
  rows = table_rows(emit::buckets_table(e.buckets, e.summary, {40}));
  EXPECT_EQ(rows[1], "  1  v1-65a72318f725733c      2  high    use-after-free  ...:read_rbr");
}

TEST(BucketEmitters, ShortenCutsAtCodePoints) {
  EXPECT_EQ(emit::shorten("h\xc3\xa9llo w\xc3\xb6rld", 8), "h\xc3\xa9llo...");
  EXPECT_EQ(emit::display_width("h\xc3\xa9llo"), 5u);
  EXPECT_EQ(emit::elide_front("devices::rtc::CmosRtc::periodic_interval_ticks", 35),
            "...CmosRtc::periodic_interval_ticks");
  EXPECT_EQ(emit::pad("\xc3\xa9", 3), "\xc3\xa9  ");
}

TEST(BucketEmitters, MarkdownEscapesCellBreakers) {
  const std::string md = emit_as("md");
  EXPECT_EQ(md.find("<script>"), std::string::npos);
  EXPECT_NE(md.find("&lt;script&gt;document.title='pwned'&lt;/script&gt; \\| \\`rm -rf\\` \\*bold\\* \\[link\\](x)"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("- artifacts/fuzz\\_uart/crash-dead\\|\\`x\\`  (no crash in 3 runs)"), std::string::npos) << md;
}

TEST(BucketEmitters, JsonKeepsStringsAndReplacesInvalidUtf8) {
  const auto j = nlohmann::json::parse(emit_as("json"));
  EXPECT_EQ(j["tool"], "triage");
  ASSERT_EQ(j["buckets"].size(), 4u);
  const std::string message = j["buckets"][3]["message"];
  EXPECT_TRUE(message.starts_with("<script>document.title='pwned'</script> | `rm -rf`"));
  EXPECT_TRUE(message.ends_with("red\x7f\xef\xbf\xbd")) << message;  // 0xff became U+FFFD
  EXPECT_EQ(j["flaky"], 1);
  EXPECT_EQ(j["no_repro_runs"]["artifacts/fuzz_uart/crash-dead|`x`"], 3);
  EXPECT_EQ(j["buckets"][1]["flaky"][0]["runs"], 3);
}

TEST(BucketEmitters, HtmlEscapesEveryUntrustedString) {
  const std::string html = emit_as("html");
  // Exactly one script element: the page's own.
  size_t scripts = 0;
  for (size_t at = html.find("<script"); at != std::string::npos; at = html.find("<script", at + 1)) {
    ++scripts;
  }
  EXPECT_EQ(scripts, 1u);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<b>evil"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt; | `rm -rf` *bold* [link](x) "
                      "&quot;quoted&quot; &amp; &#39;single&#39;\nsecond line\\x01\\x1b[31mred\\x7f\xef\xbf\xbd"),
            std::string::npos);
  EXPECT_NE(html.find("crash-&lt;img src=x onerror=alert(1)&gt;"), std::string::npos);
  EXPECT_NE(html.find("<span class=\"flaky\">flaky: reproduced 1 of 3 runs</span>"), std::string::npos);
  EXPECT_NE(html.find("script-src 'sha256-"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("https://"), std::string::npos);
}

TEST(BucketEmitters, HtmlLinksSourcesThroughASourceUrlAndOpensTheFirstSections) {
  const auto records = fixture_records();
  const auto buckets = fixture_compared_buckets(records);
  const std::string html = emit::buckets_html(buckets, fixture_summary(records),
                                              {"/src/triage", "https://example.org/triage/blob/abc123/", "", 2});
  EXPECT_NE(html.find("<a class=\"source\" href=\"https://example.org/triage/blob/abc123/devices/uart/uart.cpp#L141\">"
                      "<code>devices/uart/uart.cpp:141</code></a>"),
            std::string::npos);
  // A file outside the root is shown, not linked; a relative one is taken as under the root.
  EXPECT_NE(html.find("<code>/usr/include/rtc/bcd.h:17</code>"), std::string::npos);
  EXPECT_NE(html.find("href=\"https://example.org/triage/blob/abc123/src/%3Cb%3Eevil%3C/b%3E%20%7Cx.rs#L42\""),
            std::string::npos);
  EXPECT_NE(html.find("<details class=\"bucket\" id=\"bucket-2\" data-bucket=\"v1-a731dbab44de2e04\" open>"),
            std::string::npos);
  EXPECT_NE(html.find("<details class=\"bucket\" id=\"bucket-3\" data-bucket=\"v1-8ae8810e988e6f8f\">"),
            std::string::npos);
  // Without a comparison there is no gone list and no fixed count; the new bucket still says so.
  EXPECT_EQ(html.find("id=\"gone\""), std::string::npos);
  EXPECT_EQ(html.find("data-count=\"fixed\""), std::string::npos);
  EXPECT_NE(html.find("<li data-count=\"new\"><b>1</b>new buckets</li>"), std::string::npos);
  EXPECT_NE(html.find("data-status=\"new\""), std::string::npos);
  // The filter choices are the campaign's own.
  EXPECT_NE(html.find("<select id=\"filter-status\" aria-label=\"status\"><option value=\"\">every status</option>"
                      "<option value=\"new\">new</option><option value=\"still-crashing\">still-crashing</option></select>"),
            std::string::npos);
}

TEST(BucketEmitters, SarifResultPerBucketWithRelativeLocations) {
  const auto j = nlohmann::json::parse(emit_as("sarif"));
  EXPECT_EQ(j["version"], "2.1.0");
  const auto& run = j["runs"][0];
  EXPECT_EQ(run["originalUriBaseIds"]["SRCROOT"]["uri"], "file:///src/triage/");
  ASSERT_EQ(run["results"].size(), 4u);
  const auto& uaf = run["results"][0];
  EXPECT_EQ(uaf["ruleId"], "use-after-free");
  EXPECT_EQ(uaf["level"], "error");
  EXPECT_EQ(uaf["fingerprints"]["triageBucket/v1"], "v1-65a72318f725733c");
  const auto& loc = uaf["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["artifactLocation"]["uri"], "devices/uart/uart.cpp");
  EXPECT_EQ(loc["artifactLocation"]["uriBaseId"], "SRCROOT");
  EXPECT_EQ(loc["region"]["startLine"], 141);
  EXPECT_EQ(uaf["properties"]["count"], 2);
  EXPECT_EQ(uaf["properties"]["targets"], nlohmann::json({"fuzz_chipset", "fuzz_uart"}));
  EXPECT_EQ(uaf["properties"]["representative"], "artifacts/fuzz_uart/crash-71c5");
  // Outside the source root: an absolute file URI. A relative file name: relative to SRCROOT, encoded.
  const auto& abort = run["results"][1];
  EXPECT_EQ(abort["level"], "note");
  EXPECT_EQ(abort["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "file:///usr/include/rtc/bcd.h");
  const auto& hostile = run["results"][3];
  EXPECT_EQ(hostile["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "src/%3Cb%3Eevil%3C/b%3E%20%7Cx.rs");
  EXPECT_EQ(run["tool"]["driver"]["rules"].size(), 3u);
}

}  // namespace
}  // namespace triage::testing
