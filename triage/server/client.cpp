#include "triage/server/client.hpp"

#include <unistd.h>

#include <climits>
#include <cstring>

#include "triage/server/request.hpp"
#include "triage/server/unix_socket.hpp"

namespace triage::server {
namespace {

/// How long a front end waits for a server to take its request up: one busy with another caller's run
/// (or held by a client that never spoke) is not waited for; the front end runs the command itself.
constexpr int k_offer_wait_ms = 10000;

/// Sends the request; for a run, waits for the server's offer to run it, accepts it (only then may the
/// server use our descriptors: a front end that gave up has not accepted) and waits for the outcome.
std::optional<Reply> exchange(const std::string& socket_path, const Request& request, const std::vector<int>& fds) {
  const int fd = connect_to(socket_path);
  if (fd < 0) {
    return std::nullopt;
  }
  std::optional<Reply> reply;
  if (send_message(fd, to_json(request), fds)) {
    if (auto text = receive_message(fd, nullptr, 0, 1 << 20, k_offer_wait_ms)) {
      reply = reply_from_json(*text);
    }
    if (reply && reply->status == "offer") {
      reply.reset();
      Request accept;
      accept.op = "accept";
      if (send_message(fd, to_json(accept))) {
        if (auto text = receive_message(fd)) {
          reply = reply_from_json(*text);
        }
      }
    }
  }
  ::close(fd);
  return reply;
}

}  // namespace

std::optional<int> forward(const std::string& socket_path, const std::string& engine_identity,
                           const std::vector<std::string>& argv, char** envp) {
  Request r;
  r.engine = engine_identity;
  r.argv = argv;
  char cwd[PATH_MAX];
  if (::getcwd(cwd, sizeof cwd) == nullptr) {
    return std::nullopt;
  }
  r.cwd = cwd;
  for (char** e = envp; e != nullptr && *e != nullptr; ++e) {
    const char* eq = std::strchr(*e, '=');
    if (eq == nullptr) {
      continue;
    }
    std::string name(*e, static_cast<size_t>(eq - *e));
    if (is_served_variable(name)) {
      r.env.emplace(std::move(name), std::string(eq + 1));
    }
  }
  const auto reply = exchange(socket_path, r, {0, 1, 2});
  if (!reply || reply->status != "done") {
    return std::nullopt;
  }
  return reply->exit_code;
}

bool request_stop(const std::string& socket_path) {
  Request r;
  r.op = "stop";
  const auto reply = exchange(socket_path, r, {});
  return reply.has_value();
}

}  // namespace triage::server
