// Writes the HTML bucket report of the fixed test campaign (tests/unit/emit/bucket_fixture.hpp) to
// the file named by argv[1], for bucket_html_test.py to load in a browser.
#include <cstdio>
#include <fstream>

#include "bucket_fixture.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT.html\n", argv[0]);
    return 2;
  }
  const auto records = triage::testing::fixture_records();
  std::ofstream out(argv[1], std::ios::binary);
  auto summary = triage::testing::fixture_summary(records);
  summary.gone = triage::testing::fixture_gone();
  out << triage::emit::buckets_html(triage::testing::fixture_compared_buckets(records), summary,
                                    triage::testing::fixture_html_options());
  out.close();
  return out ? 0 : 1;
}
