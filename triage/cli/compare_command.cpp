#include "triage/cli/compare_command.hpp"
#include "triage/cli/cli_conventions.hpp"


#include "triage/campaign/campaign_run.hpp"
#include "triage/cli/bucket_output.hpp"
#include "triage/cli/bulk_command.hpp"
#include "triage/cli/console.hpp"
#include "triage/cli/exit_codes.hpp"
#include "triage/emit/comparison_emitters.hpp"
#include "triage/store/campaign_store.hpp"
#include "triage/emit/formats.hpp"

namespace triage::cli {


void add_compare_options(CLI::App* cmd, CompareOptions& o) {
  cmd->add_option("out_dir", o.out_dir, "bulk output directory whose store has run two builds")
      ->required()
      ->type_name("DIR");
  add_format_option(*cmd, o.format, emit::comparison_formats(), "what to print");
  cmd->add_option("--key-state", o.key_state, "split buckets by this register or field's value, as bulk does")
      ->type_name("NAME");
}

int run_compare(const CompareOptions& o) {
  auto store = open_output_store(o.out_dir);
  if (!store) {
    return report_error(store.error());
  }
  auto compared = campaign::compare_latest_builds(*store, o.key_state);
  if (!compared) {
    return report_error(compared.error());
  }
  if (!*compared) {
    return report_error({core::ErrorCode::usage, "the store in " + o.out_dir +
                                                     " has one build of each artifact: run bulk again on the rebuilt "
                                                     "binaries (or with --env) to compare"});
  }
  const auto text = emit::comparison_format_from_string(o.format) == emit::ComparisonFormat::json ? emit::comparison_json(**compared) : emit::comparison_table(**compared);
  if (auto written = write_stdout(text); !written) {
    return report_error(written.error());
  }
  return core::count_statuses(**compared).new_buckets > 0 ? k_exit_new_buckets : 0;
}

}  // namespace triage::cli
