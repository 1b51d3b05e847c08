#!/usr/bin/env python3
"""The peer for Chalkface's survival analysis: lifelines, timed the way a statistician would call it.

  python peer_lifelines.py COHORT.csv [--repeats N]
      prints JSON: median in-process times of KaplanMeierFitter().fit(durations, events) and of
      CoxPHFitter().fit on g1 = [group==1], g2 = [group==2], entry_year (Efron ties), with the answers.
  python peer_lifelines.py COHORT.csv --whole OUT.csv
      the whole job the `chalkface survival` process does: read the CSV, fit overall and by group,
      write group,t,at_risk,events,censored,survival,ci_lower_95,ci_upper_95 at every table time.
"""
import argparse
import json
import statistics
import time

import numpy as np
import pandas as pd


def whole(cohort, out):
    from lifelines import KaplanMeierFitter
    df = pd.read_csv(cohort)
    rows = []
    for label, part in [("all", df)] + [(str(g), df[df.group == g]) for g in sorted(df.group.unique())]:
        f = KaplanMeierFitter().fit(part.duration, part.event)
        t = f.event_table
        ci = f.confidence_interval_survival_function_
        s = f.survival_function_.iloc[:, 0]
        for i, time_ in enumerate(t.index):
            rows.append((label, time_, t.at_risk.iloc[i], t.observed.iloc[i], t.censored.iloc[i], s.iloc[i],
                         ci.iloc[i, 0], ci.iloc[i, 1]))
    pd.DataFrame(rows, columns=["group", "t", "at_risk", "events", "censored", "survival", "ci_lower_95",
                                "ci_upper_95"]).to_csv(out, index=False)


def timed(fn, repeats):
    ts = []
    out = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        ts.append(time.perf_counter() - t0)
    return out, statistics.median(ts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cohort")
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--whole")
    a = ap.parse_args()
    if a.whole:
        whole(a.cohort, a.whole)
        return
    from lifelines import CoxPHFitter, KaplanMeierFitter
    import lifelines
    df = pd.read_csv(a.cohort)
    d = df.duration.to_numpy()
    e = df.event.to_numpy()
    KaplanMeierFitter().fit(d[:100], e[:100])
    km, km_s = timed(lambda: KaplanMeierFitter().fit(d, e), a.repeats)
    X = pd.DataFrame({"duration": d, "event": e, "entry_year": df.entry_year.astype(float),
                      "group_1": (df.group == 1).astype(float), "group_2": (df.group == 2).astype(float)})
    cox, cox_s = timed(lambda: CoxPHFitter().fit(X, "duration", "event"), max(1, min(a.repeats, 3)))
    print(json.dumps({"lifelines": lifelines.__version__, "n": len(df), "km_fit_s": km_s, "cox_fit_s": cox_s,
                      "S_at_5": float(km.survival_function_at_times([5]).iloc[0]),
                      "cox_coef": {k: float(v) for k, v in cox.params_.items()},
                      "cox_loglik": float(cox.log_likelihood_)}))


if __name__ == "__main__":
    main()
