// A stand-in fuzz target that crashes depending on how often it has run, for `triage bulk --retries`:
// the artifact holds a counter file's path and the run (1-based) from which on it aborts (0: never).
// Plain C++ (no libFuzzer), so a run is fast and nothing but the counter decides the outcome.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace {

[[gnu::noinline]] void abort_on_run(int run) {
  std::fprintf(stderr, "flaky_target: aborting on run %d\n", run);
  std::abort();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s ARTIFACT\n", argv[0]);
    return 2;
  }
  std::ifstream artifact(argv[argc - 1]);
  std::string counter_path;
  int abort_from = 0;
  std::getline(artifact, counter_path);
  artifact >> abort_from;
  int runs = 0;
  {
    std::ifstream counter(counter_path);
    counter >> runs;
  }
  ++runs;
  std::ofstream(counter_path) << runs;
  if (abort_from != 0 && runs >= abort_from) {
    abort_on_run(runs);
  }
  return 0;
}
