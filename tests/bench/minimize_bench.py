#!/usr/bin/env python3
"""Minimize benchmark (issue 15): `triage minimize` against libFuzzer's own `-minimize_crash=1 -runs=N`
(what cargo-fuzz's `tmin` runs) on every bucket of the shipped artifacts. Not a test: timings depend
on the machine (cores and load are printed first).

1. `triage bulk` of artifacts/ into a scratch directory: the buckets and their representatives.
2. Per bucket (timeouts left out: neither minimizer is meant for them), both minimizers on its
   largest member (the crash as a fuzzer first wrote it; the representative, its smallest, is often
   libFuzzer's minimized-from-* already: --pick smallest), one after the other:
   - triage: `triage minimize BIN REP -o OUT --max-seconds S` (same-bucket check by native replay);
   - libFuzzer: `BIN -minimize_crash=1 -runs=N -exact_artifact_path=OUT REP` (its DEDUP_TOKEN check).
   Each result is classified with `triage replay -f json` and compared with the input's own replay
   signature: the same bucket, or another one (libFuzzer slid to another bug), or no crash.
3. Prints bytes before / after, seconds per bucket, and the totals: how often each stayed in the
   bucket, the summed sizes, the median time per bucket.

Usage: tests/bench/minimize_bench.py [--bin-dir build/bin] [--runs 2000] [--max-seconds 60] [--only SUBSTR]
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run(cmd, timeout=None, env=None):
    start = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env)
    return p, time.monotonic() - start


def replay_signature(triage, binary, path):
    p, _ = run([triage, "replay", "-f", "json", binary, str(path)], timeout=120)
    try:
        j = json.loads(p.stdout)
    except json.JSONDecodeError:
        return None
    return j["signature"]["id"] if j.get("result") == "crash" and j.get("signature") else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin-dir", default=str(ROOT / "build" / "bin"))
    ap.add_argument("--runs", type=int, default=2000, help="libFuzzer -runs for -minimize_crash")
    ap.add_argument("--max-seconds", type=int, default=60, help="triage minimize --max-seconds")
    ap.add_argument("--only", default="", help="only buckets whose blamed function contains this")
    ap.add_argument("--pick", choices=["largest", "smallest"], default="largest", help="which member to minimize")
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    triage = str(Path(args.bin_dir) / "triage")
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    tmp = Path(tempfile.mkdtemp(prefix="triage-minimize-bench-"))
    env = dict(os.environ, TRIAGE_NO_SERVER="1")
    try:
        p, t = run([triage, "bulk", "--bin-dir", args.bin_dir, "-o", str(tmp / "out"), "-f", "json",
                    str(ROOT / "artifacts")], env=env)
        out = p.stdout.decode(errors="replace")
        buckets = json.loads(out[out.index("{\n"):])["buckets"]
        print(f"bulk: {len(buckets)} buckets in {t:.1f} s\n")
        rows = []
        print(f"{'bucket':20} {'kind':26} {'bytes':>6}  {'triage':>14} {'s':>6}  {'libFuzzer':>16} {'s':>6}")
        for b in buckets:
            if b["kind"] == "timeout" or (args.only and args.only not in b["blamed_function"]):
                continue
            members = sorted(b["members"], key=lambda m: (m["size"], m["path"]))
            member = members[-1] if args.pick == "largest" else members[0]
            rep, binary = member["path"], str(Path(args.bin_dir).resolve() / member["target"])
            before = os.path.getsize(rep)
            own = replay_signature(triage, binary, rep)
            t_out = tmp / f"{b['id']}.triage"
            p, t_s = run([triage, "minimize", binary, rep, "-o", str(t_out), "--max-seconds", str(args.max_seconds)],
                         env=env)
            t_size = os.path.getsize(t_out) if t_out.exists() else None
            t_sig = replay_signature(triage, binary, t_out) if t_out.exists() else None
            l_out = tmp / f"{b['id']}.libfuzzer"
            try:
                p, l_s = run([binary, "-minimize_crash=1", f"-runs={args.runs}", f"-exact_artifact_path={l_out}", rep],
                             timeout=600)
            except subprocess.TimeoutExpired:
                l_s = 600.0
            l_size = os.path.getsize(l_out) if l_out.exists() else None
            l_sig = replay_signature(triage, binary, l_out) if l_out.exists() else None

            def verdict(sig):
                if sig is None:
                    return "no crash"
                return "same" if sig == own else "OTHER"

            row = dict(bucket=b["id"], kind=b["kind"], before=before, own=own, t_size=t_size, t_s=t_s,
                       t=verdict(t_sig), l_size=l_size, l_s=l_s, l=verdict(l_sig))
            rows.append(row)
            print(f"{b['id']:20} {b['kind'][:26]:26} {before:6}  {str(t_size):>5} {row['t']:>8} {t_s:6.1f}  "
                  f"{str(l_size):>5} {row['l']:>10} {l_s:6.1f}", flush=True)
        print()
        n = len(rows)
        for name, size, secs, verdict_key in (("triage", "t_size", "t_s", "t"), ("libFuzzer", "l_size", "l_s", "l")):
            same = sum(1 for r in rows if r[verdict_key] == "same")
            other = sum(1 for r in rows if r[verdict_key] == "OTHER")
            lost = sum(1 for r in rows if r[verdict_key] == "no crash")
            total_before = sum(r["before"] for r in rows)
            total_after = sum(r[size] if r[size] is not None and r[verdict_key] == "same" else r["before"] for r in rows)
            print(f"{name:10} same bucket {same}/{n}, another bucket {other}, no crash {lost}; "
                  f"bytes {total_before} -> {total_after} (kept in the bucket), "
                  f"median {statistics.median(r[secs] for r in rows):.1f} s per bucket, "
                  f"total {sum(r[secs] for r in rows):.0f} s")
        ratio = (statistics.median(r["t_s"] for r in rows) / max(statistics.median(r["l_s"] for r in rows), 1e-6))
        print(f"ratio triage/libFuzzer median seconds per bucket = {ratio:.2f}")
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print(f"kept {tmp}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
