#pragma once
// Shell lines a user pastes: one word quoted for the shell, and the native rerun of a crash.
#include <string>

namespace triage::core {

/// One shell word: as it is when plainly safe, else single-quoted.
std::string shell_quote(const std::string& word);

/// The shell line that reproduces a crash outside triage: the binary run on the artifact, each quoted.
std::string reproduce_command(const std::string& binary, const std::string& artifact);

}  // namespace triage::core
