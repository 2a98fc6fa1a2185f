#include "triage/cli/report_command.hpp"

#include <filesystem>

#include "triage/cli/exit_codes.hpp"
#include "triage/store/campaign_store.hpp"

namespace triage::cli {

namespace fs = std::filesystem;

CLI::App* add_report_command(CLI::App& app, ReportOptions& o) {
  CLI::App* cmd = app.add_subcommand("report", "print the buckets of a bulk output directory (runs nothing)");
  cmd->add_option("out_dir", o.out_dir, "bulk output directory")->required()->type_name("DIR");
  add_bucket_view_options(*cmd, o.view);
  return cmd;
}

int run_report(const ReportOptions& o) {
  const fs::path db = fs::path(o.out_dir) / "campaign.db";
  std::error_code ec;
  if (!fs::exists(db, ec)) {
    return report_error({core::ErrorCode::data_invalid, "no campaign store in " + o.out_dir + " (run triage bulk -o DIR first)"});
  }
  auto store = store::CampaignStore::open(db.string());
  if (!store) {
    return report_error(store.error());
  }
  return emit_bucket_reports(*store, o.out_dir, o.view, {});
}

}  // namespace triage::cli
