#!/usr/bin/env bash
# Kaplan-Meier and Cox: Chalkface beside lifelines 0.30.3 in one run, on the shared cohort and on cohorts generated
# fresh by the bench's own generator with seeds the team did not tune on. Run from the repository root:
#   Benchmarks/survival/run.sh            (SKIP_BUILD=1 to use the release binary as it is)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product chalkface >/dev/null
BIN=$PWD/.build/release/chalkface
PY=Benchmarks/.venv/bin/python
[ -x "$PY" ] || { python3 -m venv Benchmarks/.venv; Benchmarks/.venv/bin/pip install -q lifelines==0.30.3 pandas numpy; }
"$PY" -c 'import lifelines' 2>/dev/null || Benchmarks/.venv/bin/pip install -q lifelines==0.30.3
work=$(mktemp -d /tmp/chalkface-survival.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp ../shared/bench/data/survival/cohort_50000.csv "$work/shared_50000.csv"
"$PY" ../shared/bench/survival/gen_cohort.py --n 50000 --seed 101 --out "$work/fresh_50000_s101.csv" >/dev/null
"$PY" ../shared/bench/survival/gen_cohort.py --n 200000 --seed 202 --out "$work/fresh_200000_s202.csv" >/dev/null

median_of() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
wall() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

printf '| cohort | people | KM fit: Chalkface | KM fit: lifelines | ratio | Cox fit: Chalkface | Cox fit: lifelines | ratio | whole process: chalkface survival | whole process: Python | ratio |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|\n'
for cohort in shared_50000 fresh_50000_s101 fresh_200000_s202; do
  f="$work/$cohort.csv"
  n=$(($(wc -l <"$f") - 1))
  km=$("$BIN" survival --input "$f" --output "$work/km.csv" --repeats 21 2>&1 >/dev/null | awk '{print $(NF-1)}')
  cox=$("$BIN" cox --input "$f" --covariates entry_year --categorical group --repeats 5 2>&1 >/dev/null | awk '{print $(NF-1)}')
  peer=$("$PY" Benchmarks/survival/peer_lifelines.py "$f" --repeats 21)
  pkm=$(echo "$peer" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["km_fit_s"])')
  pcox=$(echo "$peer" | "$PY" -c 'import json,sys; print(json.load(sys.stdin)["cox_fit_s"])')
  ours=$(for _ in 1 2 3; do wall "$BIN" survival --input "$f" --by group --output "$work/ours.csv"; done | median_of)
  theirs=$(for _ in 1 2 3; do wall "$PY" Benchmarks/survival/peer_lifelines.py "$f" --whole "$work/theirs.csv"; done | median_of)
  printf '| %s | %s | %.6f s | %.6f s | %.1fx | %.5f s | %.5f s | %.1fx | %.3f s | %.3f s | %.1fx |\n' "$cohort" "$n" \
    "$km" "$pkm" "$(echo "$pkm / $km" | bc -l)" "$cox" "$pcox" "$(echo "$pcox / $cox" | bc -l)" \
    "$ours" "$theirs" "$(echo "$theirs / $ours" | bc -l)"
  # The answers agree: every row of the two whole-process outputs, and the Cox coefficients.
  "$PY" - "$work/ours.csv" "$work/theirs.csv" <<'PYEOF' >&2
import sys, pandas as pd, numpy as np
a = pd.read_csv(sys.argv[1]); b = pd.read_csv(sys.argv[2])
b = b[~((b.t == 0) & (b.events == 0) & (b.censored == 0))].reset_index(drop=True)  # lifelines' entry row at 0
assert len(a) == len(b), (len(a), len(b))
assert (a.group.astype(str) == b.group.astype(str)).all() and (a.at_risk == b.at_risk).all()
for c in ["survival", "ci_lower_95", "ci_upper_95"]:
    assert np.abs(a[c] - b[c]).max() < 1e-9, c
print(f"  {sys.argv[1]}: {len(a)} rows agree with lifelines")
PYEOF
done
