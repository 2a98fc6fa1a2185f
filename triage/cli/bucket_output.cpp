#include "triage/cli/bucket_output.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "triage/cli/cli_conventions.hpp"
#include "triage/cli/console.hpp"
#include "triage/campaign/campaign_run.hpp"
#include "triage/cli/exit_codes.hpp"
#include "triage/core/bucket.hpp"
#include "triage/emit/bucket_emitters.hpp"
#include "triage/emit/escape.hpp"
#include "triage/emit/formats.hpp"

namespace triage::cli {
namespace fs = std::filesystem;

core::Result<store::CampaignStore> open_output_store(const std::string& out_dir) {
  const fs::path db = fs::path(out_dir) / "campaign.db";
  if (std::error_code ec; !fs::exists(db, ec)) {
    return core::make_error(core::ErrorCode::data_invalid,
                            "no campaign store in " + out_dir + " (run triage bulk -o DIR first)");
  }
  return store::CampaignStore::open(db.string());
}

void add_bucket_view_options(CLI::App& cmd, BucketViewOptions& o) {
  add_format_option(cmd, o.format, emit::bucket_formats(), "what to print (every format is also written next to the store)");
  cmd.add_option("--key-state", o.key_state,
                 "split buckets by this register or field's value (path suffix, register or field name)")
      ->type_name("NAME");
  cmd.add_option("--source-root", o.source_root,
                 "source files under this directory: SARIF locations relative to it, HTML links to them (default: .)")
      ->type_name("DIR");
  cmd.add_option("--source-url", o.source_url,
                 "HTML source links go to URL + the file's path under --source-root + #L<line> "
                 "(e.g. https://github.com/ORG/REPO/blob/COMMIT/); default: links to the files themselves")
      ->type_name("URL");
}

namespace {

/// The terminal's width when standard output is one, else $COLUMNS, else no limit.
size_t table_width() {
  winsize ws{};
  if (isatty(STDOUT_FILENO) != 0 && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) {
    return ws.ws_col;
  }
  if (const char* columns = std::getenv("COLUMNS"); columns != nullptr) {
    char* end = nullptr;
    const unsigned long n = std::strtoul(columns, &end, 10);
    if (end != columns && *end == '\0' && n >= 20 && n <= 10000) {
      return n;
    }
  }
  return 0;
}

}  // namespace

int emit_bucket_reports(store::CampaignStore& store, const std::string& out_dir, const BucketViewOptions& view,
                        const std::vector<std::pair<std::string, std::string>>& unmapped,
                        const ReportEmission& emission) {
  // Each artifact's latest result, and with a build before it the comparison: one read of the store
  // for both (each record's JSON parsed once) unless the caller compared already.
  std::vector<core::TriageRecord> latest;
  std::optional<std::vector<core::BucketComparison>> compared;
  if (emission.comparison != nullptr) {
    auto records = store.records();
    if (!records) {
      return report_error(records.error());
    }
    latest = std::move(*records);
    compared = *emission.comparison;
  } else {
    auto two = store.latest_two_builds();
    if (!two) {
      return report_error(two.error());
    }
    if (!two->baseline.empty()) {
      compared = core::compare_builds(two->baseline, two->current, {view.key_state});
    }
    latest = std::move(two->current);
  }
  auto buckets = core::make_buckets(latest, {view.key_state});
  // With a build before this one in the store, each bucket says how it fared (new, still crashing, ...).
  auto summary = emit::summarize(latest);
  if (compared) {
    core::mark_statuses(buckets, *compared);
    for (const auto& c : *compared) {
      if (c.status == core::BucketStatus::fixed || c.status == core::BucketStatus::changed) {
        summary.gone.push_back(c);
      }
    }
  }
  if (auto attached = campaign::attach_reproducers(store, buckets); !attached) {
    return report_error(attached.error());
  }
  for (auto& b : buckets) {
    b.is_new = emission.known_before != nullptr ? !emission.known_before->contains(b.id)
                                                : b.status == core::BucketStatus::new_bucket;
  }
  summary.unmapped = unmapped;
  summary.refresh_seconds = emission.refresh_seconds;
  std::error_code ec;
  const fs::path root = view.source_root.empty() ? fs::path() : fs::weakly_canonical(fs::absolute(view.source_root), ec);
  emit::BucketRenderOptions render;
  render.table.width = table_width();
  render.html = {root.string(), view.source_url, fs::absolute(out_dir, ec).lexically_normal().string()};
  render.sarif = {root.string(), TRIAGE_VERSION};
  for (const auto& f : emit::bucket_formats()) {
    if (f.file.empty()) {
      continue;
    }
    if (auto written = write_file_whole((fs::path(out_dir) / f.file).string(), f.render(buckets, summary, render));
        !written) {
      return report_error(written.error());
    }
  }
  if (!emission.print) {
    return 0;
  }
  const auto format = emit::bucket_format_from_string(view.format).value_or(emit::BucketFormat::table);
  if (auto written = write_stdout(emit::bucket_format_info(format).render(buckets, summary, render)); !written) {
    return report_error(written.error());
  }
  return 0;
}

}  // namespace triage::cli
