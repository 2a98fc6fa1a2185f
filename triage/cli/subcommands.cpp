#include "triage/cli/subcommands.hpp"

#include <array>

namespace triage::cli {
namespace {

using Id = SubcommandId;

constexpr std::array<Subcommand, 11> k_subcommands{{
    {Id::serve, [](CLI::App* c, CommandOptions& o) { add_serve_options(c, o.serve); },
     [](const CommandOptions& o) { return run_serve(o.serve); }},
    {Id::replay, [](CLI::App* c, CommandOptions& o) { add_replay_options(c, o.replay); },
     [](const CommandOptions& o) { return run_replay(o.replay); }},
    {Id::bulk, [](CLI::App* c, CommandOptions& o) { add_bulk_options(c, o.bulk); },
     [](const CommandOptions& o) { return run_bulk(o.bulk); }},
    {Id::report, [](CLI::App* c, CommandOptions& o) { add_report_options(c, o.report); },
     [](const CommandOptions& o) { return run_report(o.report); }},
    {Id::attach, [](CLI::App* c, CommandOptions& o) { add_attach_options(c, o.attach); },
     [](const CommandOptions& o) { return run_attach(o.attach); }},
    {Id::core, [](CLI::App* c, CommandOptions& o) { add_core_options(c, o.core); },
     [](const CommandOptions& o) { return run_core(o.core); }},
    {Id::make_core, [](CLI::App* c, CommandOptions& o) { add_make_core_options(c, o.make_core); },
     [](const CommandOptions& o) { return run_make_core(o.make_core); }},
    {Id::script, [](CLI::App* c, CommandOptions& o) { add_script_options(c, o.script); },
     [](const CommandOptions& o) { return run_script(o.script); }},
    {Id::merge, [](CLI::App* c, CommandOptions& o) { add_merge_options(c, o.merge); },
     [](const CommandOptions& o) { return run_merge(o.merge); }},
    {Id::minimize, [](CLI::App* c, CommandOptions& o) { add_minimize_options(c, o.minimize); },
     [](const CommandOptions& o) { return run_minimize(o.minimize); }},
    {Id::compare, [](CLI::App* c, CommandOptions& o) { add_compare_options(c, o.compare); },
     [](const CommandOptions& o) { return run_compare(o.compare); }},
}};

constexpr bool rows_follow_the_names() {
  for (size_t i = 0; i < k_subcommands.size(); ++i) {
    if (k_subcommands[i].id != k_subcommand_names[i].id) {
      return false;
    }
  }
  return k_subcommands.size() == k_subcommand_names.size();
}
static_assert(rows_follow_the_names(), "one row per subcommand name, in the same order");

}  // namespace

std::span<const Subcommand> subcommands() { return k_subcommands; }

std::vector<CLI::App*> add_subcommands(CLI::App& app, CommandOptions& options) {
  std::vector<CLI::App*> out;
  for (size_t i = 0; i < k_subcommands.size(); ++i) {
    CLI::App* cmd = app.add_subcommand(std::string(k_subcommand_names[i].name), std::string(k_subcommand_names[i].help));
    k_subcommands[i].declare(cmd, options);
    out.push_back(cmd);
  }
  return out;
}

}  // namespace triage::cli
