#!/usr/bin/env python3
"""Survival fixtures the team did not tune on, with lifelines 0.30.3's answers (test tooling, not the product).

  unseen_cohort.csv      ../shared/bench/survival/gen_cohort.py --n 8000 --seed 29 (whole years, heavy ties)
  continuous.csv         1,500 people, durations in days-like decimals with some ties, three groups, two covariates
  expected_*.csv/json    lifelines: KM at every table time by group, log-rank, Cox (Efron)

Run from the repository: Benchmarks/.venv/bin/python Tests/Fixtures/survival/make.py
"""
import json
import os
import subprocess
import sys

import numpy as np
import pandas as pd
from lifelines import CoxPHFitter, KaplanMeierFitter
from lifelines.statistics import multivariate_logrank_test

here = os.path.dirname(os.path.abspath(__file__))
bench = os.path.join(here, "../../../../shared/bench/survival/gen_cohort.py")


def km_rows(df, by):
    rows = []
    groups = [("all", df)] + [(str(g), df[df[by] == g]) for g in sorted(df[by].unique())]
    for label, part in groups:
        f = KaplanMeierFitter().fit(part["duration"], part["event"])
        ci = f.confidence_interval_survival_function_
        times = f.event_table.index.to_numpy()
        for t in times:
            if t == 0 and not ((part["duration"] == 0).any()):
                continue
            i = np.searchsorted(ci.index.to_numpy(), t, side="right") - 1
            rows.append({"group": label, "t": t,
                         "at_risk": int((part["duration"] >= t).sum()),
                         "events": int(((part["duration"] == t) & (part["event"] == 1)).sum()),
                         "censored": int(((part["duration"] == t) & (part["event"] == 0)).sum()),
                         "survival": repr(float(f.survival_function_at_times([t]).iloc[0])),
                         "ci_lower_95": repr(float(ci.iloc[i, 0])), "ci_upper_95": repr(float(ci.iloc[i, 1]))})
    return pd.DataFrame(rows)


def cox(df, numeric, categorical):
    X = pd.DataFrame({"duration": df["duration"], "event": df["event"]})
    for c in numeric:
        X[c] = df[c].astype(float)
    for c in categorical:
        for level in sorted(df[c].unique())[1:]:
            X[f"{c}_{level}"] = (df[c] == level).astype(float)
    m = CoxPHFitter().fit(X, "duration", "event")
    return {"coef": {k: float(v) for k, v in m.params_.items()},
            "se": {k: float(v) for k, v in m.standard_errors_.items()},
            "log_likelihood": float(m.log_likelihood_)}


def main():
    unseen = os.path.join(here, "unseen_cohort.csv")
    subprocess.run([sys.executable, bench, "--n", "8000", "--seed", "29", "--out", unseen], check=True)
    rng = np.random.Generator(np.random.PCG64(41))
    n = 1500
    group = rng.choice(3, size=n)
    age = rng.integers(22, 60, size=n)
    fte = rng.choice([0.5, 0.6, 0.8, 1.0], size=n)
    hazard = 0.15 * np.exp(0.3 * (group == 1) - 0.2 * (group == 2) + 0.02 * (age - 40) - 0.5 * (fte - 1))
    leave = np.round(rng.exponential(1 / hazard), 2)
    follow = np.round(rng.uniform(0.5, 12, size=n), 2)
    event = (leave <= follow).astype(int)
    duration = np.where(event == 1, leave, follow)
    cont = pd.DataFrame({"duration": duration, "event": event, "group": group, "age": age, "fte": fte})
    cont.to_csv(os.path.join(here, "continuous.csv"), index=False)

    out = {}
    for name, df, numeric, categorical in [
        ("unseen_cohort", pd.read_csv(unseen), ["entry_year"], ["group"]),
        ("continuous", cont, ["age", "fte"], ["group"]),
    ]:
        km_rows(df, "group").to_csv(os.path.join(here, f"expected_km_{name}.csv"), index=False)
        lr = multivariate_logrank_test(df["duration"], df["group"], df["event"])
        out[name] = {"logrank": {"statistic": float(lr.test_statistic), "df": int(lr.degrees_of_freedom),
                                 "p": float(lr.p_value)},
                     "cox": {"numeric": numeric, "categorical": categorical, **cox(df, numeric, categorical)}}
    with open(os.path.join(here, "expected.json"), "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
