#!/usr/bin/env python3
"""Watch benchmark (issue 15): how soon `triage bulk --watch` has the result of an artifact a fuzzer
just wrote, against the run's own time, and its throughput against `triage bulk` on the same set.
Not a test: timings depend on the machine (cores and load are printed first).

1. Set: --count N (default 24) crash artifacts of the shipped artifacts/ (no leak or timeout: their
   runs are long by design), in a fresh tree per method.
2. bulk: `triage bulk --bin-dir B -o OUT -j J TREE` on all of them: wall time.
3. steady: `triage bulk --watch` on empty target directories; the script writes one artifact every
   --interval s (default 1.5, open/write/close as libFuzzer does) and polls the store (read-only) every
   20 ms. Latency = first seen in the store - written. Run time = the report's elapsed_ms (the run
   under the debugger alone). Goal: median latency <= median run time + 0.5 s.
4. burst: all N written at once into a watched tree: time to the last result, against bulk's wall time
   (ratio; the watch pays one batch's worker start-up like bulk does).

Usage: tests/bench/watch_bench.py [--bin-dir build/bin] [--count 24] [--jobs 2] [--interval 1.5] [--keep]
"""
import argparse
import json
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def pick_artifacts(count):
    rows = []
    for target_dir in sorted((ROOT / "artifacts").iterdir()):
        if not target_dir.is_dir():
            continue
        for f in sorted(target_dir.iterdir()):
            if f.name.startswith("crash-"):
                rows.append(f)
    step = max(1, len(rows) // count)
    return rows[::step][:count]


def results(db):
    if not db.exists():
        return {}
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
        out = {}
        for path, report in con.execute("SELECT artifact_path, report_json FROM results"):
            out[path] = json.loads(report).get("elapsed_ms", 0.0)
        con.close()
        return out
    except sqlite3.Error:
        return {}


def start_watch(triage, bin_dir, out, tree, jobs, log):
    return subprocess.Popen([triage, "bulk", "--watch", "--bin-dir", bin_dir, "-o", str(out), "-j", str(jobs),
                             str(tree)], stdout=log, stderr=subprocess.STDOUT)


def wait_listening(log_path):
    for _ in range(200):
        if "watching" in Path(log_path).read_text(errors="replace"):
            return
        time.sleep(0.05)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", default=str(ROOT / "build/bin"))
    ap.add_argument("--count", type=int, default=24)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--interval", type=float, default=1.5)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    triage = str(Path(a.bin_dir) / "triage")
    print(f"cores {os.cpu_count()}, load {os.getloadavg()[0]:.2f}")
    arts = pick_artifacts(a.count)
    tmp = Path(tempfile.mkdtemp(prefix="triage-watch-bench-"))
    try:
        # bulk on the whole set
        tree = tmp / "bulk"
        for f in arts:
            (tree / f.parent.name).mkdir(parents=True, exist_ok=True)
            shutil.copy(f, tree / f.parent.name / f.name)
        t0 = time.monotonic()
        subprocess.run([triage, "bulk", "--bin-dir", a.bin_dir, "-o", str(tmp / "bulk-out"), "-j", str(a.jobs),
                        str(tree)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        bulk_wall = time.monotonic() - t0
        print(f"bulk: {len(arts)} artifacts in {bulk_wall:.2f} s")

        # steady
        tree = tmp / "steady"
        for f in arts:
            (tree / f.parent.name).mkdir(parents=True, exist_ok=True)
        out = tmp / "steady-out"
        log_path = tmp / "steady.log"
        with open(log_path, "w") as log:
            w = start_watch(triage, a.bin_dir, out, tree, a.jobs, log)
            wait_listening(log_path)
            written = {}
            seen = {}
            pending = list(arts)
            next_write = time.monotonic()
            deadline = time.monotonic() + len(arts) * a.interval + 120
            while (pending or len(seen) < len(arts)) and time.monotonic() < deadline:
                now = time.monotonic()
                if pending and now >= next_write:
                    f = pending.pop(0)
                    dest = tree / f.parent.name / f.name
                    with open(dest, "wb") as fh:
                        fh.write(f.read_bytes())
                    written[str(dest)] = time.monotonic()
                    next_write += a.interval
                for path, elapsed in results(out / "campaign.db").items():
                    if path not in seen:
                        seen[path] = (time.monotonic(), elapsed / 1000.0)
                time.sleep(0.02)
            w.send_signal(signal.SIGINT)
            w.wait(timeout=60)
        lat = [seen[p][0] - written[p] for p in written if p in seen]
        run = [seen[p][1] for p in written if p in seen]
        if not lat:
            print("steady: no results", file=sys.stderr)
            return 1
        med_lat, med_run = statistics.median(lat), statistics.median(run)
        print(f"steady: {len(lat)}/{len(arts)} results, one write every {a.interval} s")
        print(f"  latency median {med_lat:.2f} s (p90 {sorted(lat)[int(len(lat) * 0.9) - 1]:.2f} s), run time median "
              f"{med_run:.2f} s: latency - run = {med_lat - med_run:.2f} s (goal <= 0.50 s)")

        # burst
        tree = tmp / "burst"
        for f in arts:
            (tree / f.parent.name).mkdir(parents=True, exist_ok=True)
        out = tmp / "burst-out"
        log_path = tmp / "burst.log"
        with open(log_path, "w") as log:
            w = start_watch(triage, a.bin_dir, out, tree, a.jobs, log)
            wait_listening(log_path)
            t0 = time.monotonic()
            for f in arts:
                with open(tree / f.parent.name / f.name, "wb") as fh:
                    fh.write(f.read_bytes())
            while len(results(out / "campaign.db")) < len(arts) and time.monotonic() - t0 < 300:
                time.sleep(0.02)
            burst = time.monotonic() - t0
            w.send_signal(signal.SIGINT)
            w.wait(timeout=60)
        print(f"burst: {len(results(out / 'campaign.db'))}/{len(arts)} results in {burst:.2f} s; "
              f"watch/bulk = {burst / bulk_wall:.2f}x")
    finally:
        if a.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
