#!/usr/bin/env bash
# Public pages under load, from a release build, on SQLite and on a throwaway PostgreSQL: `chalkface serve` on a
# new database (the bundled schools and demo partnership), then wrk -t2 -c64 on loopback against each page and the
# filtered API list. Then, unless SOAK=0, a mixed soak on SQLite: pages and API under wrk, a sign-in every second
# and a school import every two minutes, with the server's memory sampled every 10 s.
# Usage: Benchmarks/pages.sh [seconds per wrk run, default 20] [soak seconds, default 600]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-20}
SOAK=${2:-600}

source Benchmarks/common.sh

start_server() {
  port=$(spare_port)
  DATABASE_URL="$DB" LOG_LEVEL="${SERVE_LOG_LEVEL:-warning}" "$BIN" serve --port "$port" >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
}

stop_server() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }

run_wrk() {
  local label=$1 path=$2
  wrk -t2 -c64 -d3s "http://127.0.0.1:$port$path" >/dev/null  # warm up
  local out rps p50 p99 errors timeouts
  out=$(wrk -t2 -c64 -d"${DURATION}s" --latency "http://127.0.0.1:$port$path")
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  timeouts=$(echo "$out" | awk '/Socket errors/ {print $0}')
  echo "| $label | GET $path | ${rps} req/s | p50 ${p50}, p99 ${p99}${errors:+, non-2xx $errors}${timeouts:+, $timeouts} |"
}

PATHS=("/" "/coldspots" "/schools?q=a" "/schools/141308" "/partnership" "/api/v1/schools?la=886&phase=primary&page=3")
# DATABASES=postgres (or sqlite) runs one of them only.
DATABASES=${DATABASES:-sqlite,postgres}

echo "| database | what (wrk -t2 -c64 -d${DURATION}s, loopback) | result | latency |"
echo "|---|---|---|---|"

if [[ $DATABASES == *sqlite* ]]; then
  DB="$work/bench.sqlite"
  start_server
  for p in "${PATHS[@]}"; do run_wrk SQLite "$p"; done
  stop_server
fi

if [[ $DATABASES == *postgres* ]]; then
start_postgres
DB="postgres://chalkface@127.0.0.1:$pg_port/postgres"
start_server
for p in "${PATHS[@]}"; do run_wrk PostgreSQL "$p"; done
stop_server
fi

[ "$SOAK" -gt 0 ] || exit 0

# --- Soak: SQLite, $SOAK seconds ----------------------------------------------------------------------------------
DB="$work/soak.sqlite"
SERVE_LOG_LEVEL=notice start_server  # the demo accounts' passwords are announced at notice level
account=$(grep -o 'helen.marsh@example.org *[a-z0-9-]*' "$work/serve.log" | awk '{print $2}' || true)
[ -n "$account" ] || { echo "soak: no demo coordinator password in the server log" >&2; cat "$work/serve.log" >&2; exit 1; }
cat >"$work/mixed.lua" <<'LUA'
local paths = {"/", "/coldspots", "/schools?q=a", "/schools/141308", "/partnership",
  "/api/v1/schools?la=886&phase=primary&page=3", "/api/v1/schools/118598", "/schools?la=886&page=2"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
wrk -t2 -c64 -d"${SOAK}s" --latency -s "$work/mixed.lua" "http://127.0.0.1:$port" >"$work/soak-wrk.txt" &
wrk_pid=$!
signins=0; signin_fail=0; imports=0; import_fail=0
memory=()
start=$(date +%s)
last_import=$start
last_sample=0
while kill -0 "$wrk_pid" 2>/dev/null; do
  now=$(date +%s)
  # A sign-in every second: the page, its CSRF cookie and token, then the form.
  jar="$work/jar"; rm -f "$jar"
  token=$(curl -s -c "$jar" "http://127.0.0.1:$port/sign-in" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//; s/"//')
  code=$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" --data-urlencode "email=helen.marsh@example.org" \
    --data-urlencode "password=$account" --data-urlencode "csrf_token=$token" "http://127.0.0.1:$port/sign-in")
  signins=$((signins + 1)); [ "$code" = 303 ] || signin_fail=$((signin_fail + 1))
  if [ $((now - last_import)) -ge 120 ]; then
    DATABASE_URL="$DB" "$BIN" import schools Sources/Persistence/Resources/schools_regions_of_interest_2025-07.csv >/dev/null 2>&1 \
      && imports=$((imports + 1)) || import_fail=$((import_fail + 1))
    last_import=$now
  fi
  if [ $((now - last_sample)) -ge 10 ]; then memory+=("$(awk '/VmRSS/ {print $2}' /proc/$server/status)"); last_sample=$now; fi
  sleep 1
done
out=$(cat "$work/soak-wrk.txt")
stop_server
rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
sockets=$(echo "$out" | awk '/Socket errors/ {print $0}')
first=${memory[0]}; mid=${memory[$(( ${#memory[@]} / 2 ))]}; last=${memory[-1]}
echo
echo "Soak, SQLite, ${SOAK} s: mixed pages and API at ${rps} req/s (p99 ${p99}), non-2xx ${errors:-0}${sockets:+, $sockets};"
echo "sign-ins ${signins} (${signin_fail} failed); school imports ${imports} (${import_fail} failed);"
echo "server RSS at start, middle and end: $((first / 1024)) MiB, $((mid / 1024)) MiB, $((last / 1024)) MiB."
