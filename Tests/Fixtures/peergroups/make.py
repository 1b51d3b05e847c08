#!/usr/bin/env python3
"""Peer-group fixtures with the peer's answers (test tooling, not the product).

  unseen_ects.csv           ../shared/bench/peergroups/gen_ects.py over the regional schools, --n 1200 --seed 41
                            (an ECT set the grouping was not tuned on)
  kmc_regional_groups.csv   k-means-constrained's groups for ../shared/bench/data/peergroups/ects_regional.csv
  kmc_unseen_groups.csv     k-means-constrained's groups for unseen_ects.csv
  expected.json             the shared score.py's measures of both (min 5, max 8)

Run from the repository: Benchmarks/.venv/bin/python Tests/Fixtures/peergroups/make.py
"""
import json
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
bench = os.path.normpath(os.path.join(here, "../../../../shared/bench"))
sys.path.insert(0, os.path.join(bench, "peergroups"))
from score import score  # noqa: E402

schools = os.path.normpath(os.path.join(bench, "../data/schools/schools_regions_of_interest_2025-07.csv"))
unseen = os.path.join(here, "unseen_ects.csv")
subprocess.run([sys.executable, os.path.join(bench, "peergroups/gen_ects.py"), "--schools", schools, "--n", "1200",
                "--seed", "41", "--out", unseen], check=True)
expected = {}
for name, ects in [("regional", os.path.join(bench, "data/peergroups/ects_regional.csv")), ("unseen", unseen)]:
    out = os.path.join(here, f"kmc_{name}_groups.csv")
    subprocess.run([sys.executable, os.path.join(bench, "peergroups/run_kmc.py"), ects, "--out", out], check=True,
                   cwd=os.path.join(bench, "peergroups"))
    expected[name] = score(ects, out, 5, 8)
with open(os.path.join(here, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1)
    f.write("\n")
