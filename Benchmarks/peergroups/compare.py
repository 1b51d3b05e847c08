#!/usr/bin/env python3
"""Early-career peer groups side by side: `chalkface peer-groups` against k-means-constrained (the shared
`run_kmc.py`, size-bounded k-means per phase) on the same ECT files, in one run, both scored by the shared
`score.py` (total straight-line travel of members to their group's meeting school, and rule violations).

Times: the peer's fit calls (as run_kmc.py reports them; Python start-up and imports not counted against it);
Chalkface's whole process (read, form, write) and the forming step it reports. Peak memory of each process.

Usage (from the repository, with Benchmarks/.venv made from ../shared/bench/requirements-lock.txt):
  Benchmarks/.venv/bin/python Benchmarks/peergroups/compare.py --chalkface .build/release/chalkface \
      [--instances ects_regional ects_5000 unseen national_20000] [--skip-peer national_20000] \
      [--json Benchmarks/results/peergroups.jsonl]
`unseen` is generated with the shared gen_ects.py over the regional schools (n 1,200, seed 41) and
`national_20000` over the national school list (n 20,000, seed 8), both into Benchmarks/.data/.
"""
import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
BENCH = os.path.join(os.path.dirname(REPO), "shared", "bench")
SCHOOLS = os.path.join(os.path.dirname(REPO), "shared", "data", "schools")
LOCAL = os.path.join(REPO, "Benchmarks", ".data")
sys.path.insert(0, os.path.join(BENCH, "peergroups"))
from score import score  # noqa: E402

GENERATED = {
    "unseen": ("schools_regions_of_interest_2025-07.csv", 1200, 41),
    "national_20000": ("schools_state_funded_open_2025-07.csv", 20000, 8),
}


def instance(name):
    shared = os.path.join(BENCH, "data", "peergroups", name + ".csv")
    if os.path.exists(shared):
        return shared
    path = os.path.join(LOCAL, name + ".csv")
    if not os.path.exists(path):
        schools, n, seed = GENERATED[name]
        os.makedirs(LOCAL, exist_ok=True)
        subprocess.run([sys.executable, os.path.join(BENCH, "peergroups", "gen_ects.py"), "--schools",
                        os.path.join(SCHOOLS, schools), "--n", str(n), "--seed", str(seed), "--out", path],
                       check=True, stdout=subprocess.DEVNULL)
    return path


def run(cmd, **kw):
    """Runs a command in its own process; returns its output, wall time and peak memory (MiB)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    p = subprocess.run(cmd, capture_output=True, text=True, check=True, **kw)
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return p, wall, (peak if peak > before else None)


def measure_chalkface(binary, path, out, extra):
    p, wall, _ = run(["/usr/bin/time", "-f", "%M", binary, "peer-groups", "--input", path, "--output", out] + extra)
    formed = float(re.search(r"formed in ([0-9.]+) s", p.stderr).group(1))
    rss_kib = int(p.stderr.strip().splitlines()[-1])
    return {"wall_s": round(wall, 3), "form_s": formed, "peak_mib": round(rss_kib / 1024, 1),
            **score(path, out, 5, 8)}


def measure_peer(path, out):
    p, wall, _ = run(["/usr/bin/time", "-f", "%M", sys.executable, os.path.join(BENCH, "peergroups", "run_kmc.py"),
                      path, "--out", out], cwd=os.path.join(BENCH, "peergroups"))
    rec = json.loads(p.stdout.strip().splitlines()[-1])
    rss_kib = int(p.stderr.strip().splitlines()[-1])
    return {"wall_s": round(wall, 3), "form_s": rec["fit_s"], "peak_mib": round(rss_kib / 1024, 1),
            **score(path, out, 5, 8)}


def row(name, who, r):
    return (f"| {name} | {r['ects']:,} | {who} | {r['form_s']:.3f} s | {r['wall_s']:.2f} s | {r['peak_mib']} MiB "
            f"| {r['groups']} | {r['total_travel_m']:,.0f} m | {r['mean_travel_m']:,.0f} m | {r['size_violations']} "
            f"| {r['avoidable_same_school']} | {r['mixed_family_secondary_groups']} |")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chalkface", required=True)
    ap.add_argument("--instances", nargs="+", default=["ects_regional", "unseen", "ects_5000", "national_20000"])
    ap.add_argument("--skip-peer", nargs="*", default=["national_20000"])
    ap.add_argument("--json")
    a = ap.parse_args()
    print("| instance | ECTs | who | form | process | peak memory | groups | total travel | mean travel "
          "| size violations | avoidable same-school | mixed-family secondary groups |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for name in a.instances:
            path = instance(name)
            results = []
            if name not in a.skip_peer:
                results.append(("k-means-constrained 0.9.1", measure_peer(path, os.path.join(tmp, "peer.csv"))))
            results.append(("Chalkface", measure_chalkface(a.chalkface, path, os.path.join(tmp, "cf.csv"), [])))
            results.append(("Chalkface --fewest-groups", measure_chalkface(
                a.chalkface, path, os.path.join(tmp, "cfg.csv"), ["--fewest-groups"])))
            results.append(("Chalkface --subject-families", measure_chalkface(
                a.chalkface, path, os.path.join(tmp, "cff.csv"), ["--subject-families"])))
            for who, r in results:
                print(row(name, who, r), flush=True)
                if a.json:
                    with open(a.json, "a") as f:
                        f.write(json.dumps({"instance": name, "who": who, **r,
                                            "machine": "2 shared cores"}) + "\n")


if __name__ == "__main__":
    main()
