#include "triage/cli/console.hpp"
#include "triage/cli/merge_command.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "triage/cli/exit_codes.hpp"
#include "triage/store/campaign_store.hpp"
#include "triage/store/store_lock.hpp"

namespace triage::cli {

namespace fs = std::filesystem;

void add_merge_options(CLI::App* cmd, MergeOptions& o) {
  cmd->add_option("out_dir", o.out_dir, "output directory of the merged store (created when missing)")
      ->required()
      ->type_name("DIR");
  cmd->add_option("shard_dirs", o.shard_dirs, "bulk output directories to merge (each holds a campaign.db)")
      ->required()
      ->type_name("DIR");
  add_bucket_view_options(*cmd, o.view);
}

int run_merge(const MergeOptions& o) {
  // Check every shard before writing anything.
  std::error_code ec;
  for (const auto& dir : o.shard_dirs) {
    if (!fs::is_regular_file(fs::path(dir) / "campaign.db", ec)) {
      return report_error({core::ErrorCode::data_invalid, "no campaign store in " + dir + " (not a triage bulk -o directory)"});
    }
  }
  fs::create_directories(o.out_dir, ec);
  if (ec) {
    return report_error({core::ErrorCode::io_failed, fmt::format("cannot create {}: {}", o.out_dir, ec.message())});
  }
  auto lock = store::StoreLock::acquire(o.out_dir);
  if (!lock) {
    return report_error(lock.error());
  }
  auto store = store::CampaignStore::open((fs::path(o.out_dir) / "campaign.db").string());
  if (!store) {
    return report_error(store.error());
  }
  for (const auto& dir : o.shard_dirs) {
    auto added = store->merge_from((fs::path(dir) / "campaign.db").string());
    if (!added) {
      return report_error(added.error());
    }
    say("triage merge: {} results from {}\n", *added, dir);
  }
  return emit_bucket_reports(*store, o.out_dir, o.view, {});
}

}  // namespace triage::cli
