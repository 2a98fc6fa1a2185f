#!/usr/bin/env python3
"""Re-runs a short libFuzzer campaign per target and rebuilds artifacts/ from what it finds.

Every crash the campaign writes is replayed natively (`triage replay`, symbolized by llvm-symbolizer,
no debugger) and matched to a planted bug of fuzz_targets/planted_bugs.toml by target, crash kind and
blamed function. A selection per bug (smallest, largest and some in between, plus libFuzzer-minimised
ones) is copied to artifacts/<target>/ under libFuzzer's own names, and artifacts/ground_truth.toml
records each one's target and bug (the tests read it, with the bugs' kinds and blamed functions from
planted_bugs.toml). artifacts/README.md is rendered from the two. A crash that matches no planted bug
fails the run: it is a bug in the devices that nobody planted.

Usage: fuzz_targets/regenerate_artifacts.py [--build-dir build] [--seconds 90] [--per-bug 8]
       fuzz_targets/regenerate_artifacts.py --render   # README.md from the data files, no campaign
       fuzz_targets/regenerate_artifacts.py --check    # exit 1 when README.md is not that rendering
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIBFUZZER_PREFIXES = ("crash-", "leak-", "timeout-", "oom-", "slow-unit-", "minimized-from-")
FUZZ_FLAGS = ["-timeout=3", "-rss_limit_mb=4096", "-malloc_limit_mb=2048", "-use_value_profile=1"]


def load_bugs():
    with open(ROOT / "fuzz_targets" / "planted_bugs.toml", "rb") as f:
        data = tomllib.load(f)
    return data["bug"]


def is_libfuzzer(target):
    return not target.startswith("replay_")


def classify(triage, binary, artifact):
    cmd = [triage, "replay", "-f", "json", "-t", "20", binary, str(artifact)]
    if is_libfuzzer(Path(binary).name):
        cmd[2:2] = ["--fuzzer-arg=-timeout=3"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if out.returncode not in (0, 1):
        raise RuntimeError(f"triage replay failed on {artifact}: {out.stderr.strip()}")
    j = json.loads(out.stdout)
    if j["result"] != "crash":
        return None, None, ""
    return j["kind"], (j.get("blamed_frame") or {}).get("function"), j.get("message") or ""


def match_bug(bugs, target, kind, function, message=""):
    """The planted bug with this target, kind and blamed function (and message, where two bugs share
    a function and a kind)."""
    for b in bugs:
        if target in b["targets"] and b["kind"] == kind and b["function"] == function:
            if "message" not in b or b["message"] in message:
                return b
    return None


def campaign(binary, workdir, seconds, seed, fixed):
    corpus = workdir / "corpus"
    out = workdir / "out"
    corpus.mkdir(parents=True, exist_ok=True)
    out.mkdir(parents=True, exist_ok=True)
    cmd = [binary, "-fork=1", "-ignore_crashes=1", "-ignore_timeouts=1", "-ignore_ooms=1",
           f"-max_total_time={seconds}", f"-seed={seed}", f"-artifact_prefix={out}/", *FUZZ_FLAGS, str(corpus)]
    # Bugs found in earlier rounds behave as fixed (TRIAGE_FIXED_BUGS, see fuzz_targets/rust/src/planted.rs
    # and devices/common/planted_bugs.hpp), as in a real campaign once its first findings are fixed, so
    # a shallow bug does not hide the deeper ones. Artifacts are always classified with every bug live.
    env = dict(os.environ, TRIAGE_FIXED_BUGS=",".join(sorted(fixed)))
    with open(workdir / "fuzz.log", "w") as log:
        subprocess.run(cmd, cwd=workdir, stdout=log, stderr=subprocess.STDOUT, timeout=seconds * 3 + 120, env=env)
    return sorted(p for p in out.iterdir() if p.name.startswith(LIBFUZZER_PREFIXES))


def minimize(binary, artifact, workdir, fixed=()):
    """libFuzzer's own crash minimisation (with `fixed` bugs switched off); the minimised file or None."""
    sha = hashlib.sha1(artifact.read_bytes()).hexdigest()
    dest = workdir / f"minimized-from-{sha}"
    cmd = [binary, "-minimize_crash=1", "-runs=3000", f"-exact_artifact_path={dest}", *FUZZ_FLAGS, str(artifact)]
    env = dict(os.environ, TRIAGE_FIXED_BUGS=",".join(sorted(fixed)))
    subprocess.run(cmd, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600, env=env)
    return dest if dest.exists() and dest.stat().st_size > 0 else None


def select(paths, n):
    """Smallest, largest, and evenly spread sizes in between."""
    paths = sorted(paths, key=lambda p: (p.stat().st_size, p.name))
    if len(paths) <= n:
        return paths
    picks = sorted({round(i * (len(paths) - 1) / (n - 1)) for i in range(n)})
    return [paths[i] for i in picks]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build-dir", default=str(ROOT / "build"))
    ap.add_argument("--seconds", type=int, default=90, help="campaign length per target and round")
    ap.add_argument("--rounds", type=int, default=3,
                    help="campaigns per target, each with the bugs found so far fixed")
    ap.add_argument("--per-bug", type=int, default=8, help="artifacts kept per bug and target")
    ap.add_argument("--targets", nargs="*", help="only these targets")
    ap.add_argument("--extra", nargs="*", default=[],
                    help="directories of earlier campaigns' findings (<dir>/<target>/crash-...), classified and "
                         "offered alongside this campaign's")
    ap.add_argument("--out", default=str(ROOT / "artifacts"))
    ap.add_argument("--render", action="store_true", help="only rewrite README.md from the data files")
    ap.add_argument("--check", action="store_true", help="only check README.md is the data files' rendering")
    args = ap.parse_args()

    bugs = load_bugs()
    out = Path(args.out)
    if args.render or args.check:
        text = render_readme(bugs, read_rows(out / "ground_truth.toml"))
        if args.render:
            (out / "README.md").write_text(text)
            return 0
        if (out / "README.md").read_text() != text:
            print(f"{out / 'README.md'} is not the rendering of planted_bugs.toml and ground_truth.toml: "
                  "run fuzz_targets/regenerate_artifacts.py --render", file=sys.stderr)
            return 1
        print("README.md matches the data files")
        return 0
    bindir = Path(args.build_dir) / "bin"
    triage = str(bindir / "triage")
    targets = args.targets or sorted({t for b in bugs for t in b["targets"]})
    rows = []
    unexpected = []
    found_bugs = set()
    for target in targets:
        binary = str(bindir / target)
        work = Path(tempfile.mkdtemp(prefix=f"regen-{target}-"))
        found = {}
        earlier = [p for d in args.extra for p in sorted((Path(d) / target).glob("*"))
                   if p.name.startswith(LIBFUZZER_PREFIXES)]
        for f in earlier:
            kind, fn, msg = classify(triage, binary, f)
            bug = match_bug(bugs, target, kind, fn, msg) if kind else None
            if bug is not None:
                found.setdefault(bug["id"], []).append(f)
        if earlier:
            print(f"{target}: {len(earlier)} earlier findings, bugs {','.join(sorted(found)) or 'none'}", flush=True)
        for r in range(args.rounds):
            rw = work / f"round{r}"
            # Round 0 runs with every bug live; later rounds fix what has been found so far.
            fixed_now = set(found) if r > 0 else set()
            files = campaign(binary, rw, args.seconds, seed=1000 + r, fixed=fixed_now)
            print(f"{target}: round {r} (fixed: {','.join(sorted(fixed_now)) or 'none'}): {len(files)} artifacts",
                  flush=True)
            minimized_tries = 0
            for f in files:
                kind, fn, msg = classify(triage, binary, f)
                if kind is None:
                    continue  # flaky or not reproducible natively: not shipped
                bug = match_bug(bugs, target, kind, fn, msg)
                if bug is not None and bug["id"] in fixed_now and minimized_tries < 6:
                    # Found with this bug fixed, yet with every bug live it replays as the fixed one: the
                    # input passes through it first. libFuzzer's minimisation (fixes on) usually drops that
                    # detour; keep the result when it then replays as another planted bug.
                    minimized_tries += 1
                    mini = minimize(binary, f, rw, fixed_now)
                    if mini is not None:
                        mk, mf, mm = classify(triage, binary, mini)
                        other = match_bug(bugs, target, mk, mf, mm) if mk else None
                        if other is not None and other["id"] not in fixed_now:
                            found.setdefault(other["id"], []).append(mini)
                            continue
                if bug is None:
                    unexpected.append((target, f.name, kind, fn))
                    continue
                found.setdefault(bug["id"], []).append(f)
        dest = Path(args.out) / target
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        for bug_id, files in sorted(found.items()):
            bug = next(b for b in bugs if b["id"] == bug_id)
            chosen = select(files, args.per_bug)
            smallest = chosen[0]
            if not smallest.name.startswith(("timeout-", "oom-")):
                mini = minimize(binary, smallest, work)
                if mini is not None and match_bug(bugs, target, *classify(triage, binary, mini)) is bug:
                    chosen.append(mini)
            for f in chosen:
                shutil.copy(f, dest / f.name)
                rows.append((target, f.name, bug_id, bug["kind"], bug["function"], f.stat().st_size))
            found_bugs.add(bug_id)
            print(f"  {bug_id}: {len(files)} found, {len(chosen)} kept", flush=True)
        shutil.rmtree(work, ignore_errors=True)

    for u in unexpected:
        print("UNEXPECTED crash (no planted bug matches): %s %s %s %s" % u, file=sys.stderr)
    missing = sorted({b["id"] for b in bugs if set(b["targets"]) & set(targets)} - found_bugs)
    for m in missing:
        print(f"warning: no artifact found for {m}", file=sys.stderr)
    truth = out / "ground_truth.toml"
    # Targets not rerun this time keep their artifacts and rows.
    rows += [r for r in read_rows(truth) if r[0] not in targets]
    write_rows(truth, rows)
    (out / "README.md").write_text(render_readme(bugs, rows))
    return 1 if unexpected else 0


def read_rows(path):
    """(target, file name, bug, kind, function, bytes) of artifacts/ground_truth.toml, the kind and
    function from the bug's row of planted_bugs.toml."""
    if not path.exists():
        return []
    bugs = {b["id"]: b for b in load_bugs()}
    with open(path, "rb") as f:
        data = tomllib.load(f)
    return [(a["target"], a["path"].split("/", 1)[1], a["bug"], bugs[a["bug"]]["kind"], bugs[a["bug"]]["function"],
             a["bytes"]) for a in data.get("artifact", [])]


def write_rows(path, rows):
    lines = [
        "# Generated by fuzz_targets/regenerate_artifacts.py: every shipped artifact and the planted bug",
        "# (fuzz_targets/planted_bugs.toml) it reaches. The tests read it; artifacts/README.md is rendered",
        "# from the two (--render).",
    ]
    for target, name, bug_id, _kind, _fn, size in sorted(rows):
        lines += ["", "[[artifact]]", f'path = "{target}/{name}"', f'target = "{target}"', f'bug = "{bug_id}"',
                  f"bytes = {size}"]
    path.write_text("\n".join(lines) + "\n")


def render_readme(bugs, rows):
    lines = [
        "# Crash artifacts",
        "",
        "Found by fuzzing the harnesses in `fuzz_targets/` with libFuzzer (fork mode, short campaigns per",
        "target), not written by hand; regenerate with `fuzz_targets/regenerate_artifacts.py`. File names are",
        "libFuzzer's (`crash-<sha1>`, `leak-`, `timeout-`, `oom-`, `minimized-from-<sha1>` for crashes minimised",
        "with `-minimize_crash=1`). Each artifact was classified by a native replay (`triage replay`: the",
        "sanitizer's own symbolized report, no debugger) and matched to a planted bug by target, kind and",
        "blamed function.",
        "",
        "This page is rendered from `fuzz_targets/planted_bugs.toml` (the bugs) and `ground_truth.toml` (the",
        "artifacts), which the tests read: `fuzz_targets/regenerate_artifacts.py --render`.",
        "",
        "## Planted bugs",
        "",
        "| bug | targets | kind | blamed function | what |",
        "|---|---|---|---|---|",
    ]
    for b in bugs:
        lines.append(f"| {b['id']} | {', '.join(b['targets'])} | {b['kind']} | `{b['function']}` | {b['description']} |")
    lines += [
        "",
        "## Ground truth",
        "",
        "Every artifact, its bug, the crash kind and blamed function triage must report.",
        "",
        "| artifact | target | bug | kind | blamed function | bytes |",
        "|---|---|---|---|---|---|",
    ]
    for target, name, bug_id, kind, fn, size in sorted(rows):
        lines.append(f"| {target}/{name} | {target} | {bug_id} | {kind} | `{fn}` | {size} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
