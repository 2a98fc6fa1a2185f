#pragma once
// The subcommands of triage by name, with their one-line help: the front end (`triage`, which links
// no command) runs these itself instead of sending them to `triage serve`, and the engine's command
// table (subcommands.cpp) binds each id to the functions that declare its options and run it.
#include <array>
#include <string_view>
#include <vector>

namespace triage::cli {

enum class SubcommandId { serve, replay, bulk, report, attach, core, make_core, script, merge, minimize, compare };

struct SubcommandName {
  SubcommandId id;
  std::string_view name;
  std::string_view help;
};

inline constexpr std::array<SubcommandName, 11> k_subcommand_names{{
    {SubcommandId::serve, "serve", "keep LLDB and one debugger session per binary warm for one-shot runs (`triage BIN ARTIFACT`)"},
    {SubcommandId::replay, "replay", "run an artifact natively (no debugger) and classify the crash"},
    {SubcommandId::bulk, "bulk", "triage every artifact of a campaign in parallel, then print the buckets"},
    {SubcommandId::report, "report", "print the buckets of a bulk output directory (runs nothing)"},
    {SubcommandId::attach, "attach", "attach to a running process, report every thread and the device state, detach"},
    {SubcommandId::core, "core", "report from ELF core files of a fuzz binary (one debugger for all)"},
    {SubcommandId::make_core, "make-core", "run artifacts natively so that they dump core files"},
    {SubcommandId::script, "script", "write an lldb command file (lldb -b -s FILE -- binary artifact) for a crash"},
    {SubcommandId::merge, "merge", "merge the stores of sharded bulk runs into one, then print its buckets"},
    {SubcommandId::minimize, "minimize",
     "shrink an artifact (or every bucket's representative) to the smallest input in the same bucket"},
    {SubcommandId::compare, "compare",
     "compare each artifact's latest build with its build before: new, still crashing, fixed, changed"},
}};

/// `triage help [SUBCOMMAND]`: help, not a subcommand of its own.
inline constexpr std::string_view k_help_word = "help";

/// The words that, first on a command line, make it a subcommand's (never a one-shot run).
inline std::vector<std::string_view> subcommand_words() {
  std::vector<std::string_view> out;
  for (const auto& s : k_subcommand_names) {
    out.push_back(s.name);
  }
  out.push_back(k_help_word);
  return out;
}

}  // namespace triage::cli
