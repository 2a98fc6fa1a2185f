#include "triage/cli/cli_conventions.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace triage::cli {
namespace {

/// CLI11's validator text, as a reader wants it: "UINT in [1 - 86400]" -> "1-86400"; a bare type
/// ("INT", the range's own value type) says nothing the option's type does not.
std::string validator_text(std::string_view v) {
  if (const auto in = v.find(" in ["); in != std::string_view::npos && v.ends_with("]")) {
    std::string range(v.substr(in + 5, v.size() - in - 6));
    if (const auto dash = range.find(" - "); dash != std::string::npos) {
      range.replace(dash, 3, "-");
    }
    return "(" + range + ")";
  }
  if (v == "INT" || v == "UINT" || v == "FLOAT" || v == "NUMBER" || v == "TEXT") {
    return {};
  }
  return std::string(v);
}

void apply(CLI::App& app) {
  for (CLI::Option* opt : app.get_options([](const CLI::Option*) { return true; })) {
    if (opt->get_type_size() == 0) {
      continue;  // a flag
    }
    const bool repeatable = opt->get_expected_max() > 1 && !opt->get_positional();
    if (repeatable && !opt->get_positional()) {
      opt->allow_extra_args(false);
    }
    // A default the description already explains ("(default: cores ...)") is not shown twice.
    std::string default_text = opt->get_default_str();
    if (opt->get_description().find("default") != std::string::npos || default_text == "[]" ||
        default_text == "\"\"") {
      default_text.clear();
    }
    std::string text = option_value_text(opt->get_type_name(), default_text, repeatable, opt->get_required());
    if (opt->get_positional() && opt->get_expected_max() > 1) {
      text += " ...";
    }
    opt->option_text(text);
  }
  for (CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    apply(*sub);
  }
}

}  // namespace

std::string option_value_text(std::string_view type_name, std::string_view default_text, bool repeatable,
                              bool required) {
  std::vector<std::string_view> parts;
  for (size_t start = 0; start <= type_name.size();) {
    const auto colon = type_name.find(':', start);
    const auto end = colon == std::string_view::npos ? type_name.size() : colon;
    parts.push_back(type_name.substr(start, end - start));
    start = end + 1;
  }
  std::string text;
  std::string base = parts.empty() ? std::string() : std::string(parts.front());
  std::vector<std::string> details;
  for (size_t i = 1; i < parts.size(); ++i) {
    if (auto v = validator_text(parts[i]); !v.empty()) {
      details.push_back(std::move(v));
    }
  }
  // Choices ({text,json}) say more than the type they are of.
  if (!details.empty() && details.front().starts_with("{")) {
    base = details.front();
    details.erase(details.begin());
  }
  text = base;
  for (const auto& d : details) {
    text += " " + d;
  }
  if (!default_text.empty()) {
    text += " [default: " + std::string(default_text) + "]";
  }
  if (repeatable) {
    text += " (repeatable)";
  }
  if (required) {
    text += " REQUIRED";
  }
  return text.starts_with(' ') ? text.substr(1) : text;
}

void apply_cli_conventions(CLI::App& app) { apply(app); }

}  // namespace triage::cli
