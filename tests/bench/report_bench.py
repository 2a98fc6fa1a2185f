#!/usr/bin/env python3
"""Report benchmark (issue 17): `triage report` in every format, the similar-bucket clustering it does,
and `triage compare`, on a store of --records realistic records (default 100,000: --signatures
distinct crashes, long frame lists, hostile strings), each against a plain SQLite scan of the same
rows measured in the same run. Not a test: timings depend on the machine (cores and load first).

The store is made by `triage bulk` on one shipped artifact (the real schema and a real record), then
filled by cloning that record with other paths, sizes, signatures, frames and messages: half the
signatures share a crash site with another (the clustering's work), and every artifact has a result
on two builds (the comparison's). Goal: each command < 5 s with bounded memory (max RSS printed).

Usage: tests/bench/report_bench.py [--bin-dir build/bin] [--records 100000] [--signatures 3000]
"""
import argparse
import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "<script>alert(1)</script> | `x` *y* \"q\" & 'z' \u00e9\u4e2d"


def timed(cmd, env):
    """(wall seconds, max RSS MiB, exit status) of one command, output discarded."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    err = p.stderr.read().decode(errors="replace")
    if p.returncode not in (0, 3):
        print(f"  {' '.join(cmd[1:3])}: exit {p.returncode}: {err.strip()[:300]}")
    return time.monotonic() - start, usage.ru_maxrss / 1024, p.returncode


def fill(db_path, records, signatures, seed=1):
    rnd = random.Random(seed)
    db = sqlite3.connect(db_path)
    (record_json, report_json, binary_id) = db.execute(
        "SELECT record_json, report_json, binary_id FROM results WHERE result = 'crash' LIMIT 1").fetchone()
    base = json.loads(record_json)
    path, hash_ = db.execute("SELECT path, hash FROM binaries WHERE id = ?", (binary_id,)).fetchone()
    db.execute("INSERT INTO binaries(path, hash) VALUES(?, ?)", (path, hash_ + " env:REBUILT=1"))
    second = db.execute("SELECT id FROM binaries WHERE hash = ?", (hash_ + " env:REBUILT=1",)).fetchone()[0]
    db.execute("DELETE FROM results")
    sites = [(f"devices::dev{s % 40}::Device::handler_{s // 2}", f"/src/devices/dev{s % 40}/file{s // 2}.cpp",
              100 + s // 2) for s in range(signatures)]
    rows = []
    for i in range(records):
        s = rnd.randrange(signatures)
        fn, file, line = sites[s]
        r = dict(base)
        r["artifact"] = f"/campaign/artifacts/fuzz_t{i % 12}/crash-{i:040x}"
        r["target"] = f"fuzz_t{i % 12}"
        r["sha1"] = f"{i:040x}"
        r["size"] = rnd.randrange(1, 4096)
        r["signature"] = f"v1-{s:016x}"
        r["blamed_function"], r["blamed_file"], r["blamed_line"] = fn, file, line
        r["message"] = f"crash {s}: {HOSTILE} at 0x{rnd.randrange(1 << 48):x}"
        frames = [fn] + [f"devices::dev{s % 40}::caller_{s}_{k}" for k in range(2)]
        r["signature_frames"] = frames
        r["backtrace"] = [f"{f}  {file}:{line + k}" for k, f in enumerate(frames)] + [
            f"fuzzer::Fuzzer::frame{k}  (fuzz)  [ignored: libfuzzer]" for k in range(29)]
        r["frames"] = [{"function": f, "file": file, "line": line + k, "module": "fuzz", "ignored_by": None}
                       for k, f in enumerate(frames)]
        text = json.dumps(r)
        seen = f"2026-12-0{1 + i % 7}T10:{i % 60:02d}:00Z"
        for build in (binary_id, second):
            # The rebuilt binary fixes one signature in ten: those artifacts no longer crash there.
            crash = build == binary_id or s % 10 != 0
            rows.append((r["sha1"], build, r["artifact"], r["target"], r["size"], "crash" if crash else "no-repro",
                         r["kind"] if crash else None, r["severity"], r["message"], r["signature"] if crash else None,
                         text if crash else json.dumps(dict(r, result="no-repro", signature="")),
                         report_json if i < signatures else "{}", seen))
    db.executemany("INSERT INTO results(artifact_sha1, binary_id, artifact_path, target, size, result, kind, severity, "
                   "message, signature, record_json, report_json, seen_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.commit()
    db.close()
    return len(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin-dir", default=str(ROOT / "build" / "bin"))
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--signatures", type=int, default=3000)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    triage = str(Path(args.bin_dir) / "triage")
    env = dict(os.environ, TRIAGE_NO_SERVER="1", COLUMNS="200")
    print(f"machine: {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    tmp = Path(tempfile.mkdtemp(prefix="triage-report-bench-"))
    try:
        src = sorted((ROOT / "artifacts" / "fuzz_rtc").glob("crash-*"))[0]
        (tmp / "in" / "fuzz_rtc").mkdir(parents=True)
        shutil.copy(src, tmp / "in" / "fuzz_rtc" / src.name)
        subprocess.run([triage, "bulk", "--bin-dir", args.bin_dir, "-o", str(tmp / "out"), str(tmp / "in")],
                       env=env, capture_output=True)
        db = tmp / "out" / "campaign.db"
        start = time.monotonic()
        n = fill(db, args.records, args.signatures)
        print(f"store: {n} results ({args.records} artifacts x 2 builds, {args.signatures} signatures), "
              f"{db.stat().st_size / 1e6:.0f} MB, filled in {time.monotonic() - start:.1f} s\n")
        # The baseline: one plain SQLite scan of the rows the reports read (cold cache not forced).
        start = time.monotonic()
        con = sqlite3.connect(db)
        scanned = sum(len(r[0]) for r in con.execute("SELECT record_json FROM results"))
        con.close()
        scan = time.monotonic() - start
        print(f"  {'plain SQLite scan':28} {scan:6.2f} s   ({scanned / 1e6:.0f} MB of record JSON)")
        for label, cmd in [(f"report -f {f}", [triage, "report", str(tmp / "out"), "-f", f])
                           for f in ("table", "markdown", "json", "html", "sarif")] + [
                ("compare", [triage, "compare", str(tmp / "out")])]:
            wall, rss, rc = timed(cmd, env)
            verdict = "PASS" if wall < 5 and rc in (0, 3) else "MISS"
            print(f"  {label:28} {wall:6.2f} s   max RSS {rss:7.1f} MiB   ratio to the scan {wall / scan:6.1f}   "
                  f"(< 5 s) {verdict}", flush=True)
        html = tmp / "out" / "buckets.html"
        if html.exists():
            print(f"\nbuckets.html {html.stat().st_size / 1e6:.1f} MB, buckets.json "
                  f"{(tmp / 'out' / 'buckets.json').stat().st_size / 1e6:.1f} MB")
    finally:
        if args.keep:
            print(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
