#include "triage/debugserver/launch_request.hpp"

#include <charconv>

namespace triage::debugserver {
namespace {

constexpr std::string_view k_magic = "triage-zygote/1";
constexpr size_t k_max_items = 1 << 16;

void put(std::string& out, std::string_view field) {
  out.append(field);
  out.push_back('\0');
}

class Reader {
 public:
  explicit Reader(std::string_view bytes) : m_rest(bytes) {}

  std::optional<std::string_view> field() {
    const auto nul = m_rest.find('\0');
    if (nul == std::string_view::npos) {
      return std::nullopt;
    }
    const std::string_view f = m_rest.substr(0, nul);
    m_rest.remove_prefix(nul + 1);
    return f;
  }

  std::optional<size_t> count() {
    const auto f = field();
    size_t n = 0;
    if (!f || f->empty() || std::from_chars(f->data(), f->data() + f->size(), n).ptr != f->data() + f->size() ||
        n > k_max_items) {
      return std::nullopt;
    }
    return n;
  }

  bool strings(std::vector<std::string>& out) {
    const auto n = count();
    if (!n) {
      return false;
    }
    for (size_t i = 0; i < *n; ++i) {
      const auto f = field();
      if (!f) {
        return false;
      }
      out.emplace_back(*f);
    }
    return true;
  }

  bool done() const { return m_rest.empty(); }

 private:
  std::string_view m_rest;
};

}  // namespace

std::string encode(const LaunchRequest& request) {
  std::string out;
  put(out, k_magic);
  put(out, std::to_string(request.argv.size()));
  for (const auto& a : request.argv) {
    put(out, a);
  }
  put(out, std::to_string(request.env.size()));
  for (const auto& e : request.env) {
    put(out, e);
  }
  put(out, request.cwd);
  put(out, std::to_string(request.fd_numbers.size()));
  for (int fd : request.fd_numbers) {
    put(out, std::to_string(fd));
  }
  return out;
}

std::optional<LaunchRequest> decode(std::string_view bytes) {
  Reader r(bytes);
  LaunchRequest req;
  if (r.field() != k_magic || !r.strings(req.argv) || req.argv.empty() || !r.strings(req.env)) {
    return std::nullopt;
  }
  const auto cwd = r.field();
  if (!cwd) {
    return std::nullopt;
  }
  req.cwd = *cwd;
  std::vector<std::string> fds;
  if (!r.strings(fds) || !r.done()) {
    return std::nullopt;
  }
  for (const auto& f : fds) {
    int n = -1;
    if (f.empty() || std::from_chars(f.data(), f.data() + f.size(), n).ptr != f.data() + f.size() || n < 0) {
      return std::nullopt;
    }
    req.fd_numbers.push_back(n);
  }
  return req;
}

}  // namespace triage::debugserver
