#!/usr/bin/env python3
"""Runs Microsoft's SARIF validator (npm @microsoft/sarif-multitool, installed by .ci/install-deps) on
the SARIF triage writes: the golden report of hostile strings and a real bulk run's report. Passes only
when the validator reports nothing: no error, no warning, no note."""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile


def validate(multitool: str, sarif: str, work: str) -> list[str]:
    log = os.path.join(work, os.path.basename(sarif) + ".validation.sarif")
    env = dict(os.environ, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT="1", DOTNET_CLI_TELEMETRY_OPTOUT="1")
    run = subprocess.run([multitool, "validate", sarif, "-o", log, "--log", "ForceOverwrite"], env=env,
                         capture_output=True, text=True, timeout=300)
    if run.returncode != 0 or not os.path.exists(log):
        return [f"validator exit {run.returncode}: {run.stdout[-2000:]}{run.stderr[-2000:]}"]
    with open(log, encoding="utf-8") as f:
        results = json.load(f)["runs"][0].get("results", [])
    return [f"{r.get('ruleId')} {r.get('level', 'warning')}: {r.get('message', {}).get('text') or json.dumps(r.get('message'))}" for r in results]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--multitool", required=True)
    ap.add_argument("--triage", required=True)
    ap.add_argument("--bin-dir", required=True)
    ap.add_argument("--artifacts", required=True)
    ap.add_argument("--golden", required=True)
    a = ap.parse_args()
    if not os.access(a.multitool, os.X_OK):
        print(f"no SARIF validator at {a.multitool}: run .ci/install-deps", file=sys.stderr)
        return 1
    work = tempfile.mkdtemp(prefix="triage-sarif-")
    try:
        # A real campaign: one artifact of each shipped target directory.
        inp = os.path.join(work, "in")
        for target in sorted(os.listdir(a.artifacts)):
            src = os.path.join(a.artifacts, target)
            if not os.path.isdir(src):
                continue
            names = sorted(n for n in os.listdir(src) if n.startswith("crash-"))
            if names:
                os.makedirs(os.path.join(inp, target))
                shutil.copy(os.path.join(src, names[0]), os.path.join(inp, target, names[0]))
        out = os.path.join(work, "out")
        run = subprocess.run([a.triage, "bulk", "--bin-dir", a.bin_dir, "-o", out, "-j", "2", inp],
                             capture_output=True, text=True, timeout=600)
        if run.returncode not in (0, 3):
            print(f"triage bulk exit {run.returncode}: {run.stderr[-2000:]}", file=sys.stderr)
            return 1
        problems = []
        for sarif in (a.golden, os.path.join(out, "buckets.sarif")):
            for p in validate(a.multitool, sarif, work):
                problems.append(f"{sarif}: {p}")
        for p in problems:
            print(p, file=sys.stderr)
        print(f"sarif.validator: {len(problems)} problem(s)")
        return 1 if problems else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
