#!/usr/bin/env bash
# The retention pages for the demo workforce, from a release build on SQLite: `chalkface serve` on a new database
# (bundled schools, demo partnership and its generated workforce), the demo coordinator signed in with curl, then
# each page requested 30 times in a row (after 3 warm-ups); the median and the slowest, as curl's time_total.
# Usage: Benchmarks/retention.sh            (SKIP_BUILD=1 to use the release binary as it is)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/common.sh

DB="sqlite:$work/retention.sqlite"
port=$(spare_port)
DATABASE_URL="$DB" LOG_LEVEL=notice "$BIN" serve --port "$port" >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
# The announcement lists each demo account as: role, email, password, (organisation).
account=$(awk '/@/ && /oordinator/ {for (i = 1; i < NF; i++) if ($i ~ /@/) {print $i, $(i + 1); exit}}' "$work/serve.log")
email=${account% *}
password=${account#* }
base="http://127.0.0.1:$port"
jar="$work/cookies"
token=$(curl -s -c "$jar" -b "$jar" "$base/sign-in" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)
curl -s -o /dev/null -c "$jar" -b "$jar" --data-urlencode "email=$email" --data-urlencode "password=$password" \
  --data-urlencode "csrf_token=$token" "$base/sign-in"
teachers=$(curl -s -b "$jar" "$base/api/v1/teachers" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])')
echo "Demo workforce: $teachers teachers in the register."
echo
echo "| page (release build, SQLite, 30 requests after 3 warm-ups) | median | slowest |"
echo "|---|---|---|"
for path in "/retention" "/retention?by=subject" "/retention?by=school" "/retention?by=cohort&factor=phase&factor=subject&factor=route" "/retention.csv?by=phase" "/retention/forecast" "/api/v1/retention?by=phase"; do
  for _ in 1 2 3; do curl -s -o /dev/null -b "$jar" "$base$path"; done
  status=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "$base$path")
  [ "$status" = 200 ] || { echo "GET $path answered $status" >&2; exit 1; }
  times=$(for _ in $(seq 1 30); do curl -s -o /dev/null -w '%{time_total}\n' -b "$jar" "$base$path"; done | sort -g)
  median=$(echo "$times" | sed -n '15p')
  slowest=$(echo "$times" | tail -1)
  printf '| GET %s | %.0f ms | %.0f ms |\n' "$path" "$(echo "$median * 1000" | bc -l)" "$(echo "$slowest * 1000" | bc -l)"
done
