#include "triage/cli/report_command.hpp"


#include "triage/cli/exit_codes.hpp"
#include "triage/store/campaign_store.hpp"

namespace triage::cli {


void add_report_options(CLI::App* cmd, ReportOptions& o) {
  cmd->add_option("out_dir", o.out_dir, "bulk output directory")->required()->type_name("DIR");
  add_bucket_view_options(*cmd, o.view);
}

int run_report(const ReportOptions& o) {
  auto store = open_output_store(o.out_dir);
  if (!store) {
    return report_error(store.error());
  }
  return emit_bucket_reports(*store, o.out_dir, o.view, {});
}

}  // namespace triage::cli
