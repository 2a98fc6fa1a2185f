#include "triage/core/symbol_name.hpp"

#include <cctype>

namespace triage::core {
namespace {

void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
    s.replace(pos, from.size(), to);
  }
}

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

/// Removes a trailing Rust legacy hash "::h" + 16 hex digits.
void strip_rust_hash(std::string& s) {
  if (s.size() >= 19) {
    const size_t at = s.size() - 19;
    if (s.compare(at, 3, "::h") == 0) {
      bool all_hex = true;
      for (size_t i = at + 3; i < s.size(); ++i) {
        all_hex = all_hex && is_hex(s[i]);
      }
      if (all_hex) {
        s.erase(at);
      }
    }
  }
}

/// Index of the "operator" keyword that starts an operator name at `pos`, or npos.
bool operator_at(const std::string& s, size_t pos) {
  return s.compare(pos, 8, "operator") == 0 && (pos == 0 || !(std::isalnum(static_cast<unsigned char>(s[pos - 1])) ||
                                                               s[pos - 1] == '_'));
}

/// Drops everything inside <...> and (...) at any depth, keeping operator names (operator<, operator())
/// and the "(anonymous namespace)" / "{closure#0}" markers intact.
std::string strip_brackets(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  int angle = 0;
  int paren = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (angle == 0 && paren == 0 && operator_at(s, i)) {
      // Copy "operator" plus its symbol verbatim: operator<<, operator(), operator<=>, operator new.
      size_t j = i + 8;
      while (j < s.size() && s[j] == ' ') {
        ++j;
      }
      size_t end = j;
      if (s.compare(j, 2, "()") == 0) {
        end = j + 2;
      } else if (s.compare(j, 2, "[]") == 0) {
        end = j + 2;
      } else {
        while (end < s.size() && std::string_view("<>=!+-*/%^&|~,").find(s[end]) != std::string_view::npos) {
          ++end;
        }
        if (end == j) {  // operator new / delete / conversion: up to the next bracket
          while (end < s.size() && s[end] != '(' && s[end] != '<') {
            ++end;
          }
        }
      }
      out.append(s, i, end - i);
      i = end - 1;
      continue;
    }
    if (s.compare(i, 21, "(anonymous namespace)") == 0 && angle == 0 && paren == 0) {
      out += "(anonymous namespace)";
      i += 20;
      continue;
    }
    const char c = s[i];
    if (c == '<') {
      ++angle;
    } else if (c == '>' && angle > 0) {
      --angle;
    } else if (c == '(' && angle == 0) {
      ++paren;
    } else if (c == ')' && angle == 0 && paren > 0) {
      --paren;
    } else if (angle == 0 && paren == 0) {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string normalize_function_name(std::string_view name) {
  std::string s(name);
  // Rust legacy-mangling escapes that survive demangling of inlined generic frames.
  replace_all(s, "$LT$", "<");
  replace_all(s, "$GT$", ">");
  replace_all(s, "$u20$", " ");
  replace_all(s, "$C$", ",");
  replace_all(s, "..", "::");
  strip_rust_hash(s);
  // Trailing qualifiers after the parameter list: "f() const", "f() &&".
  s = strip_brackets(s);
  for (std::string_view q : {" const", " volatile", " &&", " &", " noexcept"}) {
    while (s.ends_with(q)) {
      s.erase(s.size() - q.size());
    }
  }
  // Return types in front ("int foo") only appear for some C frames; keep the last token.
  if (const auto sp = s.rfind(' '); sp != std::string::npos && s.find("operator") == std::string::npos &&
                                    s.find("(anonymous namespace)") == std::string::npos) {
    s.erase(0, sp + 1);
  }
  strip_rust_hash(s);
  while (s.starts_with("::")) {
    s.erase(0, 2);
  }
  while (!s.empty() && s.back() == ' ') {
    s.pop_back();
  }
  return s;
}

}  // namespace triage::core
