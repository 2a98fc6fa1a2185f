// A libFuzzer target that misbehaves on purpose, for triage's own robustness tests. The input's first
// word picks what it does; the rest is its argument:
//   long-line N    prints one N-byte stderr line (no newline inside), then aborts
//   echo TEXT      writes TEXT to stderr (a forged sanitizer report, say), then writes through null
//   echo-abort TEXT  the same, then aborts
//   sigkill        kills itself with SIGKILL (libFuzzer reports "deadly signal" / the fork parent a crash)
//   exit           calls exit(0) inside the callback (libFuzzer: "fuzz target exited")
//   fork           forks a child that sleeps 60 s, then aborts: the child must not outlive triage
//   spin           forks a child that sleeps 60 s, then spins for ever (a timeout)
//   loop           spins for ever, forking nothing (a process to attach to)
//   two-bugs REST  a null write in long_input_bug when REST has 12 bytes or more, else an abort in
//                  short_input_bug: shrinking the input slides from the first bug to the second
// Anything else returns normally.
#include <signal.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace {

[[gnu::noinline]] void write_through_null(volatile int* p) { *p = 1; }

[[gnu::noinline]] void print_long_line(size_t n) {
  std::string line(n, 'a');
  // Shaped like the start of a UBSan report ("file:line:col: ..."), never finished: the worst case
  // for a backtracking matcher.
  for (size_t i = 0; i + 4 < n; i += 64) {
    line.replace(i, 4, "x:1:");
  }
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), stderr);
  std::abort();
}

[[gnu::noinline]] void long_input_bug(volatile int* p) { *p = 2; }

[[gnu::noinline]] void short_input_bug() { std::abort(); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto space = input.find(' ');
  const std::string_view word = input.substr(0, space);
  const std::string_view rest = space == std::string_view::npos ? std::string_view() : input.substr(space + 1);
  if (word == "long-line") {
    print_long_line(std::strtoull(std::string(rest).c_str(), nullptr, 10));
  } else if (word == "echo") {
    std::fwrite(rest.data(), 1, rest.size(), stderr);
    std::fflush(stderr);
    write_through_null(nullptr);
  } else if (word == "echo-abort") {
    std::fwrite(rest.data(), 1, rest.size(), stderr);
    std::fflush(stderr);
    std::abort();
  } else if (word == "sigkill") {
    ::raise(SIGKILL);
  } else if (word == "exit") {
    std::exit(0);
  } else if (word == "fork") {
    if (::fork() == 0) {
      ::sleep(60);
      ::_exit(0);
    }
    std::abort();
  } else if (word == "two-bugs") {
    if (rest.size() >= 12) {
      long_input_bug(nullptr);
    }
    short_input_bug();
  } else if (word == "loop") {
    for (;;) {
      asm volatile("");
    }
  } else if (word == "spin") {
    if (::fork() == 0) {
      ::sleep(60);
      ::_exit(0);
    }
    for (;;) {
      asm volatile("");  // a loop the compiler must keep
    }
  }
  return 0;
}
