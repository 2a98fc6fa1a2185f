#!/usr/bin/env python3
"""Bulk benchmark (issue 4): wall time of `triage bulk` on a whole campaign against three baselines
measured in the same run with the same parallelism, and the flatness of time and memory per artifact
over one long bulk run. Not a test: timings depend on the machine and on whatever else runs on it
(the cores and load average are printed first).

1. Corpus: the shipped artifacts/ (160 over 6 targets) plus distinct copies up to --corpus N (default
   220), in a temporary campaign tree (<tmp>/corpus/<target>/...). A copy is its source artifact, 8
   zero bytes, then a tag naming the copy. The action decoders (fuzz_targets/common/action_stream.hpp,
   fuzz_targets/rust/src/actions.rs) read missing operand bytes as zero, so the zeros complete a
   truncated last action exactly as the original input ended it, and the tag comes after the crash and
   is never decoded. That does not hold when the bug only shows at exit or never stops the stream, so
   leak and timeout artifacts are never copied. Distinct bytes keep the store from skipping copies
   (it keys results by sha1 + binary). Checked twice: `triage replay` (native) on a sample of copies
   and their sources, and every bulk result against the ground truth of its source.
2. Same corpus, -j 2 (--jobs), one --timeout (default 10 s, triage's default) for every method:
     triage   `triage bulk --bin-dir B -o OUT --rerun -j2 TREE`, one invocation
     native   `fuzz_X artifact`, 2 at a time, with the environment triage gives its native runs
              (ASAN_OPTIONS=detect_leaks=1:symbolize=0:..., triage/debugger/session.cpp)
     gdb      `gdb -batch -ex run -ex "bt 20" --args fuzz_X artifact`, 2 at a time (--gdb-bt "bt" prints the
              whole backtrace; a whole `bt` of a stack overflow runs into the timeout)
     lldb     `lldb-19 -b -s cmdfile -- fuzz_X artifact` (the fuzzing guide's command file: auto-confirm,
              breakpoints on panic_fmt and abort, run, bt), 2 at a time, LLDB_DEBUGSERVER_PATH set
   gdb and lldb get triage's under-debugger environment (detect_leaks=0: LeakSanitizer cannot run
   under ptrace), which their inferiors inherit. gdb and lldb may run on an evenly spaced sample
   (--sample N); their per-artifact mean is then the sample's. Ratios: triage/native <= 2x,
   gdb/triage >= 5x, lldb/triage >= 8x, on wall time per artifact over the artifacts that crash
   (and, per process, in-session run time against each baseline process).
   The hangs (kind timeout, never copied) are timed apart, every method on them, then added back for
   whole-corpus ratios: each waits --timeout in every method, which pulls every ratio towards 1
   (with 2 hangs of 10 s, lldb's ratio can be at most ~7.9x however fast triage is).
3. Flatness: one `triage bulk` over --flat N (default 2000) distinct copies of one target's artifacts
   (--flat-target, default fuzz_ide; -j --flat-jobs, default 1, so one worker keeps one session for
   the whole run). Every 0.5 s the script records how many results the store holds (campaign.db,
   WAL, read-only) and the VmRSS of the worker processes (the `triage-engine` children of bulk); windows of
   --window results (default 200) give wall time per artifact, the in-session run time (report
   elapsed_ms) and the workers' peak RSS. Last window against first: <= 1.25x is flat.

Usage:
  tests/bench/bulk_bench.py [--bin-dir build/bin] [--corpus 220] [--jobs 2] [--timeout 10]
                            [--sample N] [--flat 2000] [--flat-target fuzz_ide] [--flat-jobs 1]
                            [--window 200] [--skip gdb,lldb,hangs,flat] [--keep]
  tests/bench/bulk_bench.py --quick        # smoke run: 30 artifacts, gdb/lldb on all 30, flat 200 / window 50
A full run takes about 15-30 minutes on 2 cores; copy the binaries first if someone rebuilds them
(cp -a build/bin /tmp/bench-bin, then --bin-dir /tmp/bench-bin).
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
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LLDB_SERVER_CANDIDATES = ("/usr/lib/llvm-19/bin/lldb-server", "/usr/bin/lldb-server-19")
GUIDE_CMDFILE = """settings set auto-confirm true
breakpoint set -r panic_fmt
breakpoint set -n abort
run
bt 20
quit
"""
NOT_COPIED = ("leak", "timeout")  # the bug shows at exit, or the run never ends: the tag would run
TARGETS = {"triage/native": (2.0, "<="), "gdb/triage": (5.0, ">="), "lldb/triage": (8.0, ">="), "flat": (1.25, "<=")}


def base_env(under_debugger):
    """The environment triage gives the fuzz target (controlled_environment in triage/debugger/session.cpp)."""
    leaks = "0" if under_debugger else "1"
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C",
        "RUST_BACKTRACE": "0",
        "ASAN_OPTIONS": f"detect_leaks={leaks}:symbolize=0:color=never:detect_odr_violation=0",
        "LSAN_OPTIONS": "symbolize=0",
        "UBSAN_OPTIONS": "symbolize=0:color=never:print_stacktrace=0",
    }


def ground_truth(artifacts_dir):
    rows = []
    in_table = False
    for line in (artifacts_dir / "README.md").read_text().splitlines():
        if line.startswith("| artifact | target | bug |"):
            in_table = True
            continue
        if in_table and line.startswith("|") and not line.startswith("|---"):
            c = [x.strip().strip("`") for x in line.strip("|").split("|")]
            rows.append({"path": artifacts_dir / c[0], "target": c[1], "bug": c[2], "kind": c[3]})
    return rows


def verdict(name, value):
    limit, op = TARGETS[name]
    ok = value <= limit if op == "<=" else value >= limit
    return f"(target {op} {limit:g}x)  {'PASS' if ok else 'MISS'}"


def machine_line():
    load = os.getloadavg()
    mem = {}
    for line in Path("/proc/meminfo").read_text().splitlines():
        key, value = line.split(":", 1)
        mem[key] = int(value.split()[0]) // 1024
    return (f"{os.cpu_count()} cores ({len(os.sched_getaffinity(0))} usable), loadavg {load[0]:.2f} {load[1]:.2f} "
            f"{load[2]:.2f}, memory {mem['MemAvailable']} of {mem['MemTotal']} MiB available")


# ---------------------------------------------------------------- corpus


def write_copy(src, dst, tag):
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_bytes(src.read_bytes() + b"\0" * 8 + tag.encode())


def spread(rows, n):
    """n rows taken round-robin over targets (each target's rows in name order)."""
    by_target = {}
    for r in sorted(rows, key=lambda r: str(r["path"])):
        by_target.setdefault(r["target"], []).append(r)
    out, i = [], 0
    while len(out) < n and any(by_target.values()):
        queue = list(by_target.values())[i % len(by_target)]
        if queue:
            out.append(queue.pop(0))
        i += 1
    return out


def build_corpus(truth, n, tree, hang_tree):
    """Returns [(path, target, expected kind, source or None)] for n artifacts under tree/<target>/; the
    hangs (kind timeout) go under hang_tree/<target>/ and are returned second."""
    if n <= len(truth):
        picked = spread([r for r in truth if r["kind"] != "timeout"], n)  # a short corpus skips the 10 s waits
    else:
        picked = list(truth)
    corpus = []
    for r in picked:
        dst = (hang_tree if r["kind"] == "timeout" else tree) / r["target"] / r["path"].name
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(r["path"], dst)
        corpus.append((dst, r["target"], r["kind"], None))
    sources = spread([r for r in truth if r["kind"] not in NOT_COPIED], len(truth))
    for i in range(n - len(picked)):
        r = sources[i % len(sources)]
        dst = tree / r["target"] / f"crash-benchcopy{i:05d}-{r['path'].name}"
        write_copy(r["path"], dst, f"bulk-bench copy {i}")
        corpus.append((dst, r["target"], r["kind"], r["path"]))
    return [c for c in corpus if c[2] != "timeout"], [c for c in corpus if c[2] == "timeout"]


def build_flat_tree(truth, n, target, tree):
    sources = sorted((r for r in truth if r["target"] == target and r["kind"] not in NOT_COPIED),
                     key=lambda r: str(r["path"]))
    if not sources:
        sys.exit(f"bulk_bench: no copyable artifacts for --flat-target {target}")
    corpus = []
    for i in range(n):  # names sort in i order, so every window sees the same mix of sources
        r = sources[i % len(sources)]
        dst = tree / target / f"crash-flat{i:05d}-{r['path'].name}"
        write_copy(r["path"], dst, f"bulk-bench flat {i}")
        corpus.append((dst, target, r["kind"], r["path"]))
    return corpus, len(sources)


def verify_copies(corpus, bin_dir, sample, timeout):
    """Native replay of up to `sample` copies (distinct sources) and their sources: same crash kind?"""
    seen, pairs = set(), []
    for path, target, _kind, source in corpus:
        if source is not None and source not in seen:
            seen.add(source)
            pairs.append((path, target, source))
    step = max(1, len(pairs) // sample) if sample else 1
    pairs = pairs[::step][:sample]

    def kind(binary, artifact):
        p = subprocess.run([str(bin_dir / "triage"), "replay", "--format", "json", "-t", str(timeout), str(binary),
                            str(artifact)], capture_output=True, text=True, timeout=timeout + 30)
        try:
            return json.loads(p.stdout).get("kind") or json.loads(p.stdout).get("result")
        except json.JSONDecodeError:
            return f"error (exit {p.returncode})"

    bad = []
    for path, target, source in pairs:
        a, b = kind(bin_dir / target, source), kind(bin_dir / target, path)
        if a != b:
            bad.append(f"{path.name}: {b}, source {a}")
    return len(pairs), bad


# ---------------------------------------------------------------- processes


def process_table():
    """{pid: (ppid, comm)} from /proc."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        table[int(entry)] = (int(stat[stat.rindex(")") + 2:].split()[1]), comm)
    return table


def descendants(pid, table=None):
    table = table if table is not None else process_table()
    out, todo = [], [pid]
    while todo:
        parent = todo.pop()
        for child, (ppid, _comm) in table.items():
            if ppid == parent:
                out.append(child)
                todo.append(child)
    return out


def rss_mib(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def run_parallel(items, make_cmd, env, jobs, timeout):
    """Runs make_cmd(item) for every item, `jobs` at a time. Returns (wall seconds, [(seconds, rc or
    'timeout')]). Lean on purpose: posix_spawn (no fork of this interpreter), one blocking wait for
    whichever child ends, so the runner adds well under a millisecond to each baseline process; on a
    timeout the whole tree (debugger, lldb-server, inferior) is killed."""
    devnull = os.open(os.devnull, os.O_RDWR)
    actions = [(os.POSIX_SPAWN_DUP2, devnull, 0), (os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
    results = [None] * len(items)
    running = {}  # pid -> (index, start)
    next_item = 0
    start = time.perf_counter()
    lock = threading.Lock()
    stop = threading.Event()

    def watchdog():
        while not stop.wait(0.05):
            now = time.perf_counter()
            with lock:
                late = [pid for pid, (_i, t0) in running.items() if now - t0 > timeout]
            for pid in late:
                for victim in [pid] + descendants(pid):
                    try:
                        os.kill(victim, signal.SIGKILL)
                    except ProcessLookupError:
                        pass

    guard = threading.Thread(target=watchdog, daemon=True)
    guard.start()
    try:
        while next_item < len(items) or running:
            while next_item < len(items) and len(running) < jobs:
                cmd = make_cmd(items[next_item])
                path = shutil.which(cmd[0]) or cmd[0]
                with lock:
                    pid = os.posix_spawn(path, cmd, env, file_actions=actions, setsid=True)
                    running[pid] = (next_item, time.perf_counter())
                next_item += 1
            pid, status = os.wait()
            end = time.perf_counter()
            with lock:
                index, t0 = running.pop(pid, (None, end))
            if index is None:
                continue
            seconds = end - t0
            rc = os.waitstatus_to_exitcode(status)
            results[index] = (seconds, "timeout" if seconds >= timeout and rc < 0 else rc)
    finally:
        stop.set()
        os.close(devnull)
    return time.perf_counter() - start, results


# ---------------------------------------------------------------- triage bulk


class StoreSampler(threading.Thread):
    """Every `period` s: (t, results in the store, worker RSS MiB (max, sum), bulk parent RSS MiB)."""

    def __init__(self, proc, db, period=0.5):
        super().__init__(daemon=True)
        self.proc, self.db, self.period = proc, db, period
        self.samples = []
        self.done = threading.Event()

    def count(self, conn):
        try:
            return conn.execute("SELECT COUNT(*) FROM results").fetchone()[0]
        except sqlite3.Error:
            return None

    def run(self):
        conn = None
        start = time.perf_counter()
        while not self.done.is_set():
            t = time.perf_counter() - start
            if conn is None and self.db.exists():
                conn = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=2)
            n = self.count(conn) if conn is not None else 0
            table = process_table()
            workers = [p for p, (pp, comm) in table.items() if pp == self.proc.pid and comm in ("triage", "triage-engine")]
            rss = [rss_mib(p) for p in workers]
            if n is not None:
                self.samples.append((t, n, max(rss, default=0.0), sum(rss), rss_mib(self.proc.pid)))
            self.done.wait(self.period)
        if conn is not None:
            conn.close()


def run_bulk(bin_dir, tree, out, jobs, timeout, sample=False):
    cmd = [str(bin_dir / "triage"), "bulk", "--bin-dir", str(bin_dir), "-o", str(out), "--rerun", "-j", str(jobs),
           "--timeout", str(timeout), str(tree)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = StoreSampler(proc, out / "campaign.db") if sample else None
    if sampler:
        sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - start
    if sampler:
        sampler.done.set()
        sampler.join()
    if proc.returncode not in (0, 3):
        sys.exit(f"bulk_bench: `{' '.join(cmd)}` exited {proc.returncode}\n{stderr[-2000:]}")
    return wall, stdout, sampler.samples if sampler else []


def store_rows(out):
    """[(artifact path, result, kind, elapsed_ms)] in insertion order."""
    conn = sqlite3.connect(out / "campaign.db")
    rows = []
    for path, result, kind, report in conn.execute(
            "SELECT artifact_path, result, kind, report_json FROM results ORDER BY rowid"):
        rows.append((path, result, kind or "", json.loads(report).get("elapsed_ms", 0.0)))
    conn.close()
    return rows


def check_results(rows, corpus):
    expected = {str(p): k for p, _t, k, _s in corpus}
    counts = {}
    wrong = []
    for path, result, kind, _ms in rows:
        counts[result] = counts.get(result, 0) + 1
        if expected.get(path) != kind:
            wrong.append(f"{Path(path).name}: {kind or result}, expected {expected.get(path)}")
    return counts, wrong


# ---------------------------------------------------------------- report


def ms(seconds):
    return f"{seconds * 1000:8.1f} ms"


def method_line(name, wall, n, singles, note=""):
    med = statistics.median(singles) if singles else 0.0
    print(f"  {name:7} {wall:8.1f} s  {n:4} artifacts  {ms(wall / n)}/artifact   (median single run {ms(med)}){note}")


def interpolate_time(samples, count):
    """When the store first held `count` results (linear between samples)."""
    prev_t, prev_n = 0.0, 0
    for t, n, *_ in samples:
        if n >= count:
            if n == prev_n:
                return t
            return prev_t + (t - prev_t) * (count - prev_n) / (n - prev_n)
        prev_t, prev_n = t, n
    return samples[-1][0] if samples else 0.0


def flat_windows(samples, rows, window, wall):
    total = len(rows)
    samples = samples + [(wall, total, 0.0, 0.0, 0.0)]  # the run ended with every result in
    out = []
    for lo in range(0, total, window):
        hi = min(total, lo + window)
        t0 = 0.0 if lo == 0 else interpolate_time(samples, lo)
        t1 = interpolate_time(samples, hi)
        in_window = [s for s in samples if lo <= s[1] <= hi and s[2] > 0]
        peak = max((s[2] for s in in_window), default=0.0)
        parent = max((s[4] for s in in_window), default=0.0)
        run_ms = statistics.mean(r[3] for r in rows[lo:hi])
        out.append((lo, hi, (t1 - t0) / (hi - lo), run_ms, peak, parent))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], epilog=__doc__.split("\n\n", 1)[1],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin-dir", default=str(ROOT / "build" / "bin"), help="triage and the fuzz binaries")
    ap.add_argument("--artifacts", default=str(ROOT / "artifacts"), help="shipped artifacts and README.md")
    ap.add_argument("--corpus", type=int, help="artifacts in the main corpus (default 220; quick 30)")
    ap.add_argument("--jobs", type=int, default=2, help="parallelism for every method (default 2)")
    ap.add_argument("--timeout", type=int, default=10, help="seconds per artifact for every method (default 10)")
    ap.add_argument("--sample", type=int, default=0, help="gdb and lldb on N evenly spaced artifacts (default all)")
    ap.add_argument("--verify", type=int, default=12, help="copies checked by native replay (default 12)")
    ap.add_argument("--flat", type=int, help="artifacts in the flatness run (default 2000; quick 200; 0 skips)")
    ap.add_argument("--flat-target", default="fuzz_ide", help="target the flatness copies come from")
    ap.add_argument("--flat-jobs", type=int, default=1, help="workers for the flatness run (default 1)")
    ap.add_argument("--window", type=int, help="results per flatness window (default 200; quick 50)")
    ap.add_argument("--skip", default="", help="comma list of native,gdb,lldb,hangs,flat to leave out")
    ap.add_argument("--quick", action="store_true", help="smoke run: --corpus 30 --flat 200 --window 50")
    ap.add_argument("--gdb", default="gdb")
    ap.add_argument("--gdb-bt", default="bt 20",
                    help="gdb's backtrace command (default `bt 20`, as the guide's lldb file; a whole `bt` of a "
                         "stack overflow prints ~100k frames and runs into the timeout)")
    ap.add_argument("--lldb", default="lldb-19")
    ap.add_argument("--lldb-server", default=next((p for p in LLDB_SERVER_CANDIDATES if os.access(p, os.X_OK)), ""))
    ap.add_argument("--keep", action="store_true", help="keep the temporary trees and stores")
    args = ap.parse_args()
    corpus_n = args.corpus if args.corpus is not None else (30 if args.quick else 220)
    flat_n = args.flat if args.flat is not None else (200 if args.quick else 2000)
    window = args.window or (50 if args.quick else 200)
    skip = {s for s in args.skip.split(",") if s}
    bin_dir = Path(args.bin_dir).resolve()
    if not (bin_dir / "triage").exists():
        sys.exit(f"bulk_bench: no triage in {bin_dir}")
    truth = ground_truth(Path(args.artifacts).resolve())

    work = Path(tempfile.mkdtemp(prefix="bulk-bench-"))
    try:
        print(f"machine: {machine_line()}")
        print(f"binaries: {bin_dir}   work: {work}")
        corpus, hangs = build_corpus(truth, corpus_n, work / "corpus", work / "hangs")
        targets = sorted({t for _p, t, _k, _s in corpus + hangs})
        copies = sum(1 for c in corpus if c[3] is not None)
        print(f"corpus: {len(corpus) + len(hangs)} artifacts over {len(targets)} targets ({len(corpus) + len(hangs) - copies} "
              f"shipped, {copies} distinct copies), -j {args.jobs}, timeout {args.timeout} s.\n"
              f"  Throughput is compared on the {len(corpus)} that crash; the {len(hangs)} hangs are timed apart at the end "
              f"(each costs every method the --timeout).")
        if copies:
            checked, bad = verify_copies(corpus, bin_dir, args.verify, args.timeout)
            print(f"copies: native replay gives the source's crash kind for {checked - len(bad)}/{checked} sampled")
            for b in bad:
                print(f"  MISMATCH {b}")

        # --- triage bulk
        print(f"\n[triage bulk]   loadavg {os.getloadavg()[0]:.2f}", flush=True)
        out = work / "out-corpus"
        wall_triage, _table, samples = run_bulk(bin_dir, work / "corpus", out, args.jobs, args.timeout, sample=True)
        rows = store_rows(out)
        counts, wrong = check_results(rows, corpus)
        run_times = [r[3] / 1000 for r in rows]
        print(f"  results: {', '.join(f'{v} {k}' for k, v in sorted(counts.items()))}; "
              f"kind as in the ground truth: {len(rows) - len(wrong)}/{len(corpus)}")
        # Where the time goes: start-up until the first result, the workers' in-session run time
        # (report elapsed_ms: launch, run, stops, frames, device walk), and the rest (analysis, JSON, store).
        first = interpolate_time(samples, 1)
        busy = sum(run_times) / args.jobs
        print(f"  where: {first:.1f} s to the first result; in-session run {sum(run_times):.1f} s over {args.jobs} workers "
              f"= {busy:.1f} s ({busy / wall_triage:.0%} of the wall); rest {wall_triage - busy:.1f} s")
        by_kind = {}
        for _p, _r, kind, run_ms in rows:
            by_kind.setdefault(kind, []).append(run_ms)
        heavy = sorted(by_kind.items(), key=lambda kv: -sum(kv[1]))[:5]
        print("  in-session run by kind (total s / median ms): " +
              ", ".join(f"{k} {sum(v) / 1000:.1f}/{statistics.median(v):.0f}" for k, v in heavy))
        for w in wrong[:10]:
            print(f"  WRONG {w}")
        n = len(corpus)
        per_triage = wall_triage / n

        env_native = base_env(False)
        env_debugger = base_env(True)
        env_lldb = dict(env_debugger, LLDB_DEBUGSERVER_PATH=args.lldb_server)
        cmdfile = work / "lldb_fuzz.cmd"
        cmdfile.write_text(GUIDE_CMDFILE)
        items = [(str(bin_dir / t), str(p)) for p, t, _k, _s in corpus]
        if args.sample and args.sample < len(items):
            step = len(items) / args.sample
            sampled = [items[int(i * step)] for i in range(args.sample)]
        else:
            sampled = items
        methods = {}
        plans = [
            ("native", items, lambda it: [it[0], it[1]], env_native),
            ("gdb", sampled, lambda it: [args.gdb, "-batch", "-ex", "run", "-ex", args.gdb_bt, "--args", it[0], it[1]],
             env_debugger),
            ("lldb", sampled, lambda it: [args.lldb, "-b", "-s", str(cmdfile), "--", it[0], it[1]], env_lldb),
        ]
        for name, its, make_cmd, env in plans:
            if name in skip:
                continue
            print(f"[{name}]   loadavg {os.getloadavg()[0]:.2f}, {len(its)} artifacts", flush=True)
            wall, results = run_parallel(its, make_cmd, env, args.jobs, args.timeout)
            methods[name] = (wall, len(its), results)

        print(f"\nper-artifact mean = wall time / artifacts, {args.jobs} at a time:")
        method_line("triage", wall_triage, n, run_times, "  (single run = in-session elapsed_ms)")
        for name, (wall, k, results) in methods.items():
            timeouts = sum(1 for _s, rc in results if rc == "timeout")
            note = f"  [{timeouts} timeouts]"
            if name == "native":
                note = f"  [{sum(1 for _s, rc in results if rc != 0)}/{k} crashed, {timeouts} timeouts]"
            if k < n:
                note += " sampled"
            method_line(name, wall, k, [s for s, _rc in results], note)
        if "native" in methods:
            r = per_triage / (methods["native"][0] / methods["native"][1])
            print(f"ratio triage/native = {r:6.2f}   {verdict('triage/native', r)}")
        for name in ("gdb", "lldb"):
            if name in methods:
                r = (methods[name][0] / methods[name][1]) / per_triage
                print(f"ratio {name}/triage {' ' * (6 - len(name))}= {r:6.2f}   {verdict(name + '/triage', r)}")
        # The same on the work each process does: triage's in-session run time (launch to kill, no
        # start-up, no store) against each baseline process's own time.
        tri_by_path = {r[0]: r[3] for r in rows}
        for name, (_wall, _k, results) in methods.items():
            its = items if name == "native" else sampled
            pairs = [(s * 1000, tri_by_path[it[1]]) for (s, _rc), it in zip(results, its) if it[1] in tri_by_path]
            if pairs:
                m = statistics.mean(p[0] for p in pairs)
                t = statistics.mean(p[1] for p in pairs)
                ratio = f"triage/native {t / m:.2f}" if name == "native" else f"{name}/triage {m / t:.2f}"
                print(f"  per process ({len(pairs)} artifacts): {name} {m:.1f} ms, triage in-session {t:.1f} ms, {ratio}")

        # --- hangs, apart: a hang costs every method the --timeout, which would pull every ratio to 1.
        if hangs and "hangs" not in skip:
            print(f"\n[hangs]   {len(hangs)} artifacts of kind timeout, --timeout {args.timeout} s, -j {args.jobs}", flush=True)
            out_h = work / "out-hangs"
            wall_h, _table, _samples = run_bulk(bin_dir, work / "hangs", out_h, args.jobs, args.timeout)
            got = [r[2] for r in store_rows(out_h)]
            print(f"  triage  {wall_h:6.1f} s   ({got.count('timeout')}/{len(hangs)} reported as timeout)")
            hang_items = [(str(bin_dir / t), str(p)) for p, t, _k, _s in hangs]
            totals = {"triage": wall_triage + wall_h}
            for name, _its, make_cmd, env in plans:
                if name in methods:
                    w, res = run_parallel(hang_items, make_cmd, env, args.jobs, args.timeout)
                    print(f"  {name:7} {w:6.1f} s   ({sum(1 for _s, rc in res if rc == 'timeout')}/{len(hangs)} hit the timeout)")
                    k = methods[name][1]
                    totals[name] = methods[name][0] * (n / k) + w  # a sampled method scaled to the corpus
            print("  whole corpus with the hangs: " + ", ".join(f"{k} {v:.1f} s" for k, v in totals.items()))
            if "native" in totals:
                r = totals["triage"] / totals["native"]
                print(f"  ratio triage/native = {r:6.2f}   {verdict('triage/native', r)}")
            for name in ("gdb", "lldb"):
                if name in totals:
                    r = totals[name] / totals["triage"]
                    print(f"  ratio {name}/triage {' ' * (6 - len(name))}= {r:6.2f}   {verdict(name + '/triage', r)}")

        # --- flatness
        if flat_n and "flat" not in skip:
            flat, n_sources = build_flat_tree(truth, flat_n, args.flat_target, work / "flat")
            print(f"\n[flatness]   loadavg {os.getloadavg()[0]:.2f}, {flat_n} copies of {n_sources} {args.flat_target} "
                  f"artifacts, one bulk run, -j {args.flat_jobs}, windows of {window}", flush=True)
            out = work / "out-flat"
            wall, _table, samples = run_bulk(bin_dir, work / "flat", out, args.flat_jobs, args.timeout, sample=True)
            rows = store_rows(out)
            counts, wrong = check_results(rows, flat)
            print(f"  {wall:.1f} s, {ms(wall / len(rows))}/artifact; results: "
                  f"{', '.join(f'{v} {k}' for k, v in sorted(counts.items()))}; kind as expected {len(rows) - len(wrong)}/{len(flat)}")
            for w in wrong[:10]:
                print(f"  WRONG {w}")
            wins = flat_windows(samples, rows, window, wall)
            print(f"  {'artifacts':>11}  {'wall/artifact':>13}  {'run/artifact':>12}  {'worker RSS peak':>15}  {'bulk RSS':>8}")
            for lo, hi, per, run_ms, peak, parent in wins:
                print(f"  {lo + 1:5}-{hi:<5}  {per * 1000:10.1f} ms  {run_ms:9.1f} ms  {peak:11.1f} MiB  {parent:5.1f} MiB")
            first, last = wins[0], wins[-1]
            rt = last[2] / first[2] if first[2] else float("nan")
            rr = last[4] / first[4] if first[4] else float("nan")
            print(f"ratio last/first window: time {rt:5.2f}   {verdict('flat', rt)}")
            print(f"ratio last/first window: RSS  {rr:5.2f}   {verdict('flat', rr)}")
        print(f"\nmachine at the end: loadavg {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    finally:
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
