// What a `triage serve` reads from a socket anyone of this user can connect to: requests and replies.
#include <cstddef>
#include <cstdint>
#include <string>

#include "triage/cli/subcommand_names.hpp"
#include "triage/server/request.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace triage::server;
  const std::string text(reinterpret_cast<const char*>(data), size);
  if (auto r = request_from_json(text)) {
    (void)is_served_command_line(r->argv, triage::cli::subcommand_words());
    for (const auto& [name, value] : r->env) {
      (void)is_served_variable(name);
    }
    // What the server would send on for this request survives the round trip.
    if (auto again = request_from_json(to_json(*r)); !again || again->argv != r->argv || again->cwd != r->cwd) {
      __builtin_trap();
    }
  }
  (void)reply_from_json(text);
  return 0;
}
