#!/usr/bin/env bash
# Foundation benchmarks, from a release build: the national schools import, and wrk on loopback against the school
# detail route and a filtered list, on SQLite and on a throwaway PostgreSQL. Prints a Markdown table.
# Usage: Benchmarks/run.sh [seconds per wrk run, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${1:-30}
SCHOOLS=../shared/data/schools/schools_state_funded_open_2025-07.csv

source Benchmarks/common.sh

# Median of three timed runs of a command; also its peak memory.
time_import() {
  local label=$1; shift
  local times=()
  local peak=0
  for i in 1 2 3; do
    "$@" reset
    local out
    out=$( { /usr/bin/time -f "%e %M" env DATABASE_URL="$DB" "$BIN" import schools "$SCHOOLS" >/dev/null; } 2>&1 | tail -n 1)
    times+=("${out% *}")
    [ "${out#* }" -gt "$peak" ] && peak=${out#* }
  done
  local median
  median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
  local again
  again=$( { /usr/bin/time -f "%e" env DATABASE_URL="$DB" "$BIN" import schools "$SCHOOLS" >/dev/null; } 2>&1 | tail -n 1)
  echo "| $label | national import, 17,673 schools into an empty database (median of 3) | ${median} s | peak RSS $((peak / 1024)) MiB |"
  echo "| $label | the same file again (all unchanged) | ${again} s | |"
}

run_wrk() {
  local label=$1 path=$2 what=$3
  local port
  port=$(spare_port)
  DATABASE_URL="$DB" LOG_LEVEL=warning "$BIN" serve --port "$port" >"$work/serve.log" 2>&1 &
  server=$!
  for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
  wrk -t2 -c64 -d5s "http://127.0.0.1:$port$path" >/dev/null  # warm up
  local out
  out=$(wrk -t2 -c64 -d"${DURATION}s" --latency "http://127.0.0.1:$port$path")
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
  local rps p50 p99 errors
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "| $label | wrk -t2 -c64 -d${DURATION}s $what | ${rps} req/s | p50 ${p50}, p99 ${p99}${errors:+, non-2xx $errors} |"
}

echo "| database | what | result | detail |"
echo "|---|---|---|---|"

# SQLite
DB="$work/bench.sqlite"
sqlite_reset() { rm -f "$DB" "$DB-wal" "$DB-shm"; DATABASE_URL="$DB" "$BIN" migrate >/dev/null; }
time_import SQLite sqlite_reset
run_wrk SQLite /api/v1/schools/141308 "GET /api/v1/schools/141308"
run_wrk SQLite "/api/v1/schools?la=886&phase=primary&page=3" "GET /api/v1/schools?la=886&phase=primary&page=3"

# PostgreSQL
start_postgres
DB="postgres://chalkface@127.0.0.1:$pg_port/postgres"
pg_reset() { "$PG_BIN/psql" -q -h 127.0.0.1 -p "$pg_port" -U chalkface postgres -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public;" >/dev/null; DATABASE_URL="$DB" "$BIN" migrate >/dev/null; }
time_import PostgreSQL pg_reset
run_wrk PostgreSQL /api/v1/schools/141308 "GET /api/v1/schools/141308"
run_wrk PostgreSQL "/api/v1/schools?la=886&phase=primary&page=3" "GET /api/v1/schools?la=886&phase=primary&page=3"
