#include "triage/core/symbol_name.hpp"

#include <cctype>

namespace triage::core {
namespace {

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

/// Rust's legacy mangling escapes (rustc_symbol_mangling/legacy.rs), which LLDB leaves in the names
/// of inlined frames: "_$LT$usize$u20$as$u20$core..slice..SliceIndex$LT$$u5b$T$u5d$$GT$$GT$::index".
std::string decode_rust_legacy_escapes(std::string_view in) {
  static constexpr std::pair<std::string_view, char> k_escapes[] = {
      {"$SP$", '@'}, {"$BP$", '*'}, {"$RF$", '&'}, {"$LT$", '<'}, {"$GT$", '>'}, {"$LP$", '('}, {"$RP$", ')'}, {"$C$", ','}};
  if (in.find('$') == std::string_view::npos && in.find("..") == std::string_view::npos) {
    return std::string(in);
  }
  std::string out;
  out.reserve(in.size());
  for (size_t i = 0; i < in.size();) {
    // A path segment that starts with an escape is prefixed with '_' by the mangler.
    if (in[i] == '_' && i + 1 < in.size() && in[i + 1] == '$' && (i == 0 || out.ends_with("::"))) {
      ++i;
      continue;
    }
    if (in[i] == '$') {
      bool done = false;
      for (const auto& [escape, c] : k_escapes) {
        if (in.substr(i, escape.size()) == escape) {
          out += c;
          i += escape.size();
          done = true;
          break;
        }
      }
      // "$u20$" and other code points: "$u" + hex + "$".
      if (!done && in.substr(i, 2) == "$u") {
        const size_t end = in.find('$', i + 2);
        unsigned cp = 0;
        bool hex = end != std::string_view::npos && end > i + 2 && end - i <= 8;
        for (size_t k = i + 2; hex && k < end; ++k) {
          hex = is_hex(in[k]);
          cp = cp * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(in[k])) ? in[k] - '0'
                                                                                                : (std::tolower(in[k]) - 'a' + 10));
        }
        if (hex && cp > 0 && cp < 0x80) {
          out += static_cast<char>(cp);
          i = end + 1;
          done = true;
        }
      }
      if (done) {
        continue;
      }
    }
    if (in.substr(i, 2) == "..") {
      out += "::";
      i += 2;
      continue;
    }
    out += in[i++];
  }
  return out;
}

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

/// True when the '<' at `pos` opens a Rust qualified path ("<T as Trait>::", "<impl Trait for T>::"):
/// it starts the name or a path segment, and holds " as " or starts with "impl ".
bool starts_qualified_self(const std::string& s, size_t pos) {
  if (!(pos == 0 || (pos >= 2 && s.compare(pos - 2, 2, "::") == 0))) {
    return false;
  }
  if (s.compare(pos + 1, 5, "impl ") == 0) {
    return true;
  }
  int depth = 0;
  for (size_t i = pos; i < s.size(); ++i) {
    if (s[i] == '<') {
      ++depth;
    } else if (s[i] == '>' && --depth == 0) {
      return false;
    } else if (depth == 1 && s.compare(i, 4, " as ") == 0) {
      return true;
    }
  }
  return false;
}

/// Drops everything inside <...> and (...) at any depth, keeping operator names (operator<, operator())
/// and the "(anonymous namespace)" / "{closure#0}" markers intact.
std::string strip_brackets(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  int angle = 0;
  int paren = 0;
  bool qualified = false;
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
    if (c == '<' && angle == 0 && paren == 0 && starts_qualified_self(s, i)) {
      // Rust's "<T as Trait<U>>::f" and "<impl Trait for T>::f": the brackets name the type; only the
      // generic arguments inside them go.
      qualified = true;
      out += c;
      ++angle;
    } else if (c == '<') {
      ++angle;
    } else if (c == '>' && angle > 0) {
      --angle;
      if (angle == 0 && qualified) {
        out += c;
        qualified = false;
      }
    } else if (qualified && angle == 1 && paren == 0) {
      out += c;
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

/// Where the name proper starts in a demangled name whose brackets are gone: after the last space
/// before an operator keyword, outside "(anonymous namespace)". Function templates demangle with their
/// return type in front ("char const* ns::parse_type<char>(...)"), and so do some C frames.
size_t name_start(const std::string& s) {
  size_t end = s.size();
  for (size_t i = 0; i < s.size(); ++i) {
    if (operator_at(s, i)) {
      end = i;
      break;
    }
  }
  size_t start = 0;
  int angle = 0;  // a Rust qualified path keeps its brackets: "<T as Trait>::f" has no return type
  for (size_t i = 0; i < end; ++i) {
    if (s.compare(i, 21, "(anonymous namespace)") == 0) {
      i += 20;
    } else if (s[i] == '<') {
      ++angle;
    } else if (s[i] == '>' && angle > 0) {
      --angle;
    } else if (s[i] == ' ' && angle == 0) {
      start = i + 1;
    }
  }
  return start;
}

std::string without_return_type(const std::string& s) { return s.substr(name_start(s)); }

}  // namespace

std::string display_function_name(std::string_view name) {
  // Only the part before the parameter list can hold a return type; templates and arguments stay.
  std::string s = decode_rust_legacy_escapes(name);
  strip_rust_hash(s);
  int angle = 0;
  size_t last_space = std::string::npos;
  for (size_t i = 0; i < s.size(); ++i) {
    if (angle == 0 && operator_at(s, i)) {
      break;
    }
    if (s.compare(i, 21, "(anonymous namespace)") == 0) {
      i += 20;
      continue;
    }
    const char c = s[i];
    if (c == '<') {
      ++angle;
    } else if (c == '>' && angle > 0) {
      --angle;
    } else if (c == '(' && angle == 0) {
      break;  // the parameter list
    } else if (c == ' ' && angle == 0) {
      last_space = i;
    }
  }
  if (last_space != std::string::npos) {
    s.erase(0, last_space + 1);
  }
  return s;
}

std::string normalize_function_name(std::string_view name) {
  std::string s = decode_rust_legacy_escapes(name);
  strip_rust_hash(s);
  // Trailing qualifiers after the parameter list: "f() const", "f() &&".
  s = strip_brackets(s);
  for (std::string_view q : {" const", " volatile", " &&", " &", " noexcept"}) {
    while (s.ends_with(q)) {
      s.erase(s.size() - q.size());
    }
  }
  s = without_return_type(s);
  strip_rust_hash(s);
  while (s.starts_with("::")) {
    s.erase(0, 2);
  }
  while (s.ends_with("::")) {  // a turbofish whose arguments went: "f::<T>" -> "f"
    s.erase(s.size() - 2);
  }
  while (!s.empty() && s.back() == ' ') {
    s.pop_back();
  }
  return s;
}

}  // namespace triage::core
