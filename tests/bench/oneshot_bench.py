#!/usr/bin/env python3
"""One-shot benchmark: per-artifact wall time of `triage <binary> <artifact>` against the manual
workflow of the fuzzing guide (`lldb-19 -b -s cmdfile`: breakpoint on panic_fmt, run, bt, frame
variable) and against a plain native run, on the same artifacts in one run. Prints medians and the
ratios; the target is triage <= 0.3x of lldb -b -s. Not a test: timings are machine-dependent.

Usage: tests/bench/oneshot_bench.py [--build-dir build] [--per-bug 2] [--passes 3]
"""
import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE_CMDFILE = """settings set auto-confirm true
breakpoint set -r panic_fmt
run
bt 20
frame select 1
source list
frame select 2
source list
frame variable
quit
"""


def ground_truth():
    rows = []
    in_table = False
    for line in (ROOT / "artifacts" / "README.md").read_text().splitlines():
        if line.startswith("| artifact | target | bug |"):
            in_table = True
            continue
        if in_table and line.startswith("|") and not line.startswith("|---"):
            c = [x.strip().strip("`") for x in line.strip("|").split("|")]
            rows.append({"artifact": c[0], "target": c[1], "bug": c[2], "kind": c[3], "bytes": int(c[5])})
    return rows


def timed(cmd, timeout=120, env=None):
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout, env=env)
    return time.perf_counter() - start


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default=str(ROOT / "build"))
    ap.add_argument("--per-bug", type=int, default=2)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--lldb", default="/usr/lib/llvm-19/bin/lldb")
    args = ap.parse_args()
    bindir = Path(args.build_dir) / "bin"

    rows = [r for r in ground_truth() if r["kind"] not in ("timeout", "leak")]  # both are waits, not work
    picked, seen = [], {}
    for r in sorted(rows, key=lambda r: (r["bug"], r["bytes"])):
        if seen.get(r["bug"], 0) < args.per_bug:
            picked.append(r)
            seen[r["bug"]] = seen.get(r["bug"], 0) + 1
    cmdfile = Path(tempfile.mkdtemp()) / "lldb_fuzz.cmd"
    cmdfile.write_text(GUIDE_CMDFILE)
    env = {"PATH": "/usr/bin:/bin", "ASAN_OPTIONS": "symbolize=0:detect_leaks=0"}

    times = {"native": [], "lldb -b -s": [], "triage": []}
    for _ in range(args.passes):
        for r in picked:
            binary = str(bindir / r["target"])
            artifact = str(ROOT / "artifacts" / r["artifact"])
            times["native"].append(timed([binary, artifact], env=env))
            times["lldb -b -s"].append(timed([args.lldb, "-b", "-s", str(cmdfile), "--", binary, artifact], env=env))
            times["triage"].append(timed([str(bindir / "triage"), binary, artifact]))

    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    print(f"{len(picked)} artifacts x {args.passes} passes ({len(seen)} bugs); median wall time per artifact:")
    for k in ("native", "lldb -b -s", "triage"):
        p90 = statistics.quantiles(times[k], n=10)[-1] * 1000 if len(times[k]) > 1 else med[k]
        print(f"  {k:12} {med[k]:8.1f} ms   (p90 {p90:7.1f} ms)")
    ratio = med["triage"] / med["lldb -b -s"]
    print(f"ratio triage / lldb -b -s = {ratio:.2f}   (target <= 0.30)")
    print(f"ratio triage / native     = {med['triage'] / med['native']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
