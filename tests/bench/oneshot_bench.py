#!/usr/bin/env python3
"""One-shot benchmark: per-artifact wall time of `triage <binary> <artifact>` against the manual
workflow of the fuzzing guide (`lldb-19 -b -s cmdfile`: breakpoint on panic_fmt, run, bt, frame
variable) and against a plain native run, on the same artifacts in one run. Prints medians and the
ratios; the target is triage <= 0.3x of lldb -b -s. Not a test: timings are machine-dependent.

triage is measured twice: on its own (TRIAGE_NO_SERVER=1: LLDB starts, loads the binary and walks
the device types from nothing at every call) and with a `triage serve` running (started by this
script on a private socket, first request included), which is how a user triaging crash after crash
runs it.

Usage: tests/bench/oneshot_bench.py [--build-dir build] [--per-bug 2] [--passes 3]
"""
import argparse
import os
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

    sock_dir = Path(tempfile.mkdtemp())
    sock_dir.chmod(0o700)
    socket = str(sock_dir / "serve.sock")
    local_env = dict(os.environ, TRIAGE_NO_SERVER="1")
    served_env = dict(os.environ, TRIAGE_SOCKET=socket)
    server = subprocess.Popen([str(bindir / "triage"), "serve", "--socket", socket, "--log", str(sock_dir / "log")],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(200):
        if Path(socket).exists():
            break
        time.sleep(0.05)

    times = {"native": [], "lldb -b -s": [], "triage": [], "triage served": []}
    try:
        for _ in range(args.passes):
            for r in picked:
                binary = str(bindir / r["target"])
                artifact = str(ROOT / "artifacts" / r["artifact"])
                times["native"].append(timed([binary, artifact], env=env))
                times["lldb -b -s"].append(timed([args.lldb, "-b", "-s", str(cmdfile), "--", binary, artifact], env=env))
                times["triage"].append(timed([str(bindir / "triage"), binary, artifact], env=local_env))
                times["triage served"].append(timed([str(bindir / "triage"), binary, artifact], env=served_env))
    finally:
        subprocess.run([str(bindir / "triage"), "serve", "--stop", "--socket", socket],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        server.wait(timeout=30)
    served = sum(1 for line in (sock_dir / "log").read_text().splitlines() if " exit " in line)

    med = {k: statistics.median(v) * 1000 for k, v in times.items()}
    print(f"{len(picked)} artifacts x {args.passes} passes ({len(seen)} bugs); median wall time per artifact:")
    for k in ("native", "lldb -b -s", "triage", "triage served"):
        p90 = statistics.quantiles(times[k], n=10)[-1] * 1000 if len(times[k]) > 1 else med[k]
        print(f"  {k:13} {med[k]:8.1f} ms   (p90 {p90:7.1f} ms)")
    print(f"  (the server ran {served} of the {len(times['triage served'])} served calls)")
    for k in ("triage", "triage served"):
        ratio = med[k] / med["lldb -b -s"]
        verdict = "PASS" if ratio <= 0.30 else "MISS"
        print(f"ratio {k:13} / lldb -b -s = {ratio:.2f}   (target <= 0.30)  {verdict}")
    print(f"ratio triage served / native = {med['triage served'] / med['native']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
