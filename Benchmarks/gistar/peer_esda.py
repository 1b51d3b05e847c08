#!/usr/bin/env python3
"""The peer a user would otherwise pick: libpysal DistanceBand weights + esda G_Local(star=True).

Times the whole computation (weights included, after numba's JIT is warmed up on a toy problem) and writes
id,gi_z,p_sim so the caller can compare with Chalkface. Peak memory is measured by the caller (/usr/bin/time).
Usage: peer_esda.py POINTS.csv OUT.csv --band 10000 --permutations 999 --seed 12345
"""
import argparse
import json
import time
import warnings

import numpy as np


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("points")
    ap.add_argument("out")
    ap.add_argument("--band", type=float, default=10_000.0)
    ap.add_argument("--permutations", type=int, default=0)
    ap.add_argument("--seed", type=int, default=12345)
    ap.add_argument("--second-seed", type=int, help="also write p_sim from a second seed (not timed)")
    a = ap.parse_args()

    import esda
    import libpysal

    warnings.simplefilter("ignore")
    # Warm numba's JIT on a toy problem so that compilation is not counted against the peer.
    rng = np.random.default_rng(0)
    wx = libpysal.weights.DistanceBand(rng.uniform(0, 10, (50, 2)), threshold=3.0, binary=True, silence_warnings=True)
    esda.G_Local(rng.poisson(3, 50).astype(float) + 1, wx, transform="B", star=True, permutations=9, seed=1, n_jobs=1)

    data = np.loadtxt(a.points, delimiter=",", skiprows=1, dtype=np.int64)
    ids, xy, y = data[:, 0], data[:, 1:3].astype(np.float64), data[:, 3].astype(np.float64)
    t0 = time.perf_counter()
    w = libpysal.weights.DistanceBand(xy, threshold=a.band, binary=True, silence_warnings=True)
    t1 = time.perf_counter()
    g = esda.G_Local(y, w, transform="B", star=True, permutations=a.permutations, seed=a.seed, n_jobs=1)
    t2 = time.perf_counter()
    p2 = [None] * len(ids)
    if a.permutations and a.second_seed is not None:
        p2 = esda.G_Local(y, w, transform="B", star=True, permutations=a.permutations, seed=a.second_seed, n_jobs=1).p_sim
    with open(a.out, "w") as f:
        f.write("id,gi_z,p_sim,p_sim_second_seed\n")
        p_sim = g.p_sim if a.permutations else [None] * len(ids)
        for i, z, p, q in zip(ids, g.Zs, p_sim, p2):
            f.write(f"{i},{float(z)!r},{'' if p is None else repr(float(p))},{'' if q is None else repr(float(q))}\n")
    print(json.dumps({"weights_s": t1 - t0, "statistic_s": t2 - t1, "total_s": t2 - t0}))


if __name__ == "__main__":
    main()
