#pragma once
// The HTML bucket report's inline style sheet and script (bucket_html.cpp writes them into the page)
// and the Content Security Policy source expression that admits exactly them.
#include <string>
#include <string_view>

namespace triage::emit {

/// The page's CSS: tables, badges, the chart's bar colours per severity, the filter bar.
std::string_view html_style();
/// The page's script: sorting, search and filters kept in the URL fragment, opening a linked section.
std::string_view html_script();
/// 'sha256-<base64>' of an inline element's text, for the Content Security Policy.
std::string csp_hash(std::string_view text);

}  // namespace triage::emit
