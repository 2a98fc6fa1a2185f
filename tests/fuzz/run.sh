#!/usr/bin/env bash
# Fuzzes every harness (or those named) for SECONDS each, one after another, from its corpus in
# tests/fuzz/corpus/<harness>; new inputs go to a scratch copy, findings to tests/fuzz/findings/.
# Prints execs/s and coverage per harness; exits non-zero when a harness found a crash, a leak or a
# hang (its input is kept: add it to the corpus once fixed, as a regression test).
#   tests/fuzz/run.sh SECONDS [HARNESS...]      (after building: cmake --build --preset default)
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
seconds="${1:?usage: run.sh SECONDS [HARNESS...]}"
shift
bin="${TRIAGE_FUZZ_BIN_DIR:-$here/../../build/tests/fuzz/bin}"
harnesses=("$@")
if [ ${#harnesses[@]} -eq 0 ]; then
  harnesses=(fuzz_target_output fuzz_elf fuzz_knowledge_toml fuzz_snapshot_json fuzz_serve_request fuzz_symbol_name)
fi
findings="${TRIAGE_FUZZ_FINDINGS:-$here/findings}"
mkdir -p "$findings"
scratch="$(mktemp -d /tmp/triage-fuzz-XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
status=0
for h in "${harnesses[@]}"; do
  if [ ! -x "$bin/$h" ]; then
    echo "run.sh: no harness $bin/$h (build first)" >&2
    exit 2
  fi
  mkdir -p "$scratch/$h"
  log="$scratch/$h.log"
  "$bin/$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
    -artifact_prefix="$findings/$h-" "$scratch/$h" "$here/corpus/$h" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  echo "$h: ${seconds}s, ${execs:-0} execs, ${rate:-0} execs/s, cov ${cov:-0}, ft ${ft:-0}, exit $rc"
  if [ $rc -ne 0 ]; then
    status=1
    grep -m1 -E 'ERROR: (libFuzzer|AddressSanitizer|LeakSanitizer)|runtime error' "$log" >&2
    tail -40 "$log" >&2
  fi
done
exit $status
