#include "triage/cli/console.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace triage::cli {

core::Result<void> write_stdout(std::string_view text) {
  errno = 0;
  const size_t written = std::fwrite(text.data(), 1, text.size(), stdout);
  const int flushed = std::fflush(stdout);
  if (written == text.size() && flushed == 0) {
    return {};
  }
  const int err = errno;
  std::clearerr(stdout);
  if (err == EPIPE) {
    return core::make_error(core::ErrorCode::output_closed, "standard output closed");
  }
  return core::make_error(core::ErrorCode::io_failed,
                          fmt::format("cannot write to standard output: {}", std::strerror(err != 0 ? err : EIO)));
}

core::Result<void> write_file_whole(const std::string& path, std::string_view text) {
  namespace fs = std::filesystem;
  const std::string part = path + ".part";
  std::ofstream out(part, std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  std::error_code ec;
  if (!out) {
    fs::remove(part, ec);
    return core::make_error(core::ErrorCode::io_failed, "cannot write " + path);
  }
  fs::rename(part, path, ec);
  if (ec) {
    fs::remove(part, ec);
    return core::make_error(core::ErrorCode::io_failed, "cannot write " + path + ": " + ec.message());
  }
  return {};
}

void say_text(std::string_view text) {
  (void)std::fwrite(text.data(), 1, text.size(), stderr);
  (void)std::fflush(stderr);
}

}  // namespace triage::cli
