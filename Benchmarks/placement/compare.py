#!/usr/bin/env python3
"""Placement allocation side by side: Chalkface's exact solver against OR-Tools' SimpleMinCostFlow on the same
instances, in one run. Each solver runs in its own process, `repeats` times; we record the solve time each reports
(OR-Tools: the solve() call only; Chalkface: its solve step, and the whole allocation including finding candidate
pairs and building the network), the objective, and the peak resident memory of the process.

Usage (from the repository, with Benchmarks/.venv made from ../shared/bench/requirements-lock.txt):
  Benchmarks/.venv/bin/python Benchmarks/placement/compare.py --chalkface .build/release/chalkface \
      [--instances regional-s1 large-s1 national-s1] [--repeats 3] [--json Benchmarks/results/placement.jsonl]
national-s1 is generated into Benchmarks/.data/ with the shared generator when missing.
"""
import argparse
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BENCH = os.path.join(os.path.dirname(REPO), "shared", "bench")
SHARED_DATA = os.path.join(BENCH, "data", "placement")
LOCAL_DATA = os.path.join(REPO, "Benchmarks", ".data")


def instance_dir(name):
    shared = os.path.join(SHARED_DATA, name)
    if os.path.isdir(shared):
        return shared
    local = os.path.join(LOCAL_DATA, name)
    if not os.path.isdir(local):
        m = re.match(r"(\w+)-s(\d+)$", name)
        os.makedirs(LOCAL_DATA, exist_ok=True)
        subprocess.run([sys.executable, os.path.join(BENCH, "placement", "gen_placement.py"), "--scale", m.group(1),
                        "--seed", m.group(2), "--out", local], check=True)
    return local


def run(cmd):
    """Runs a command in a child process; returns its output and the child's peak RSS in MiB."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed: {p.stderr}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the largest so far, so run the bigger process last or read it per run:
    return p.stdout, p.stderr, wall, max(peak, before) / 1024.0


def ortools(d):
    out, _, wall, _ = run([sys.executable, os.path.join(BENCH, "placement", "solve_mcf.py"), d, "--solver", "ortools",
                           "--repeats", "1"])
    rec = json.loads(out.strip().splitlines()[-1])
    return rec, wall


def chalkface(binary, d):
    with tempfile.NamedTemporaryFile(suffix=".csv") as f:
        out, err, wall, _ = run(["/usr/bin/time", "-f", "MAXRSS %M", binary, "allocate", "--instance", d,
                                 "--output", f.name])
    solve = float(re.search(r"solve ([0-9.]+) s", err).group(1))
    total = float(re.search(r"allocated in ([0-9.]+) s", err).group(1))
    rss = int(re.search(r"MAXRSS (\d+)", err).group(1)) / 1024.0
    cost = int(re.search(r"total cost (\d+)", out).group(1))
    placed = int(re.search(r"placed (\d+)", out).group(1))
    return {"solve_s": solve, "allocate_s": total, "objective": cost, "placed": placed, "peak_mib": rss}, wall


def ortools_rss(d):
    _, err, _, _ = run(["/usr/bin/time", "-f", "MAXRSS %M", sys.executable, os.path.join(BENCH, "placement",
                        "solve_mcf.py"), d, "--solver", "ortools", "--repeats", "1"])
    return int(re.search(r"MAXRSS (\d+)", err).group(1)) / 1024.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chalkface", required=True)
    ap.add_argument("--instances", nargs="+", default=["regional-s1", "large-s1", "national-s1"])
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json")
    a = ap.parse_args()
    rows = []
    for name in a.instances:
        d = instance_dir(name)
        ours, theirs = [], []
        for _ in range(a.repeats):   # interleaved, so drift on a shared machine affects both alike
            rec, _ = ortools(d)
            theirs.append(rec)
            mine, _ = chalkface(a.chalkface, d)
            ours.append(mine)
        o_solve = statistics.median(r["solve_s_median"] for r in theirs)
        c_solve = statistics.median(r["solve_s"] for r in ours)
        c_all = statistics.median(r["allocate_s"] for r in ours)
        row = {
            "instance": name, "repeats": a.repeats,
            "ortools_objective": theirs[0]["objective"], "chalkface_objective": ours[0]["objective"],
            "same_optimum": theirs[0]["objective"] == ours[0]["objective"],
            "ortools_solve_s": o_solve, "chalkface_solve_s": c_solve, "chalkface_allocate_s": c_all,
            "solve_ratio": c_solve / o_solve,
            "ortools_peak_mib": ortools_rss(d), "chalkface_peak_mib": max(r["peak_mib"] for r in ours),
            "ortools_solve_all": [r["solve_s_median"] for r in theirs], "chalkface_solve_all": [r["solve_s"] for r in ours],
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
        if a.json:
            with open(a.json, "a") as f:
                f.write(json.dumps(row) + "\n")
    print()
    print("| instance | objective (both) | OR-Tools solve | Chalkface solve | Chalkface whole allocation | ratio | peak MiB OR-Tools / Chalkface |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        same = f"{r['chalkface_objective']:,}" if r["same_optimum"] else f"DIFFERENT {r['ortools_objective']} vs {r['chalkface_objective']}"
        print(f"| {r['instance']} | {same} | {r['ortools_solve_s']:.3f} s | {r['chalkface_solve_s']:.3f} s | "
              f"{r['chalkface_allocate_s']:.3f} s | {r['solve_ratio']:.2f} | {r['ortools_peak_mib']:.0f} / {r['chalkface_peak_mib']:.0f} |")


if __name__ == "__main__":
    main()
