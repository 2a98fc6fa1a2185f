#pragma once
// What every option of every subcommand follows, set in one place after the options are declared:
// a repeatable option takes one value per occurrence (`--env A=1 BIN ART` leaves BIN and ART to the
// positionals), and help shows each option's value as a word, its range or choices, and its default.
#include <CLI/CLI.hpp>

#include <string>

#include "triage/emit/formats.hpp"

namespace triage::cli {

/// Applies the conventions to `app`, its subcommands and theirs.
void apply_cli_conventions(CLI::App& app);

/// The text help shows after an option's names: "UINT (1-86400) [default: 25]", "{text,json}",
/// "TEXT (repeatable)". `type_name` is CLI11's ("UINT:UINT in [1 - 86400]", "TEXT:{text,json}").
std::string option_value_text(std::string_view type_name, std::string_view default_text, bool repeatable,
                              bool required);

/// `-f,--format` with the names of one of emit/formats.hpp's tables as its choices.
template <class Table>
CLI::Option* add_format_option(CLI::App& cmd, std::string& format, const Table& table, const std::string& help) {
  return cmd.add_option("-f,--format", format, help)->check(CLI::IsMember(emit::format_names(table)));
}

}  // namespace triage::cli
