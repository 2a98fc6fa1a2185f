#include "triage/core/reproduce.hpp"

namespace triage::core {

std::string shell_quote(const std::string& s) {
  if (!s.empty() && s.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=+:,") ==
                        std::string::npos) {
    return s;
  }
  std::string out = "'";
  for (char c : s) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

std::string reproduce_command(const std::string& binary, const std::string& artifact) {
  return shell_quote(binary) + " " + shell_quote(artifact);
}

}  // namespace triage::core
