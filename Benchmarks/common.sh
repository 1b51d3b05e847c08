# Set-up shared by the benchmark scripts (sourced, not run): wrk and PostgreSQL from Debian's packages when missing,
# a release build unless SKIP_BUILD is set, a work folder and whatever the script starts, all removed at exit.
# Defines BIN, PG_BIN, work, spare_port and start_postgres (which sets pg_port and pg_pid).
missing=()
command -v wrk >/dev/null || missing+=(wrk)
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; fi
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)

[ -n "${SKIP_BUILD:-}" ] || swift build -c release --product chalkface >/dev/null
BIN=$PWD/.build/release/chalkface
work=$(mktemp -d /tmp/chalkface-bench.XXXXXX)
server=""
pg_pid=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  [ -n "$pg_pid" ] && kill -INT "$pg_pid" 2>/dev/null || true
  sleep 1
  rm -rf "$work"
}
trap cleanup EXIT
spare_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# A throwaway PostgreSQL server in the work folder, on a spare port.
start_postgres() {
  pg_port=$(spare_port)
  mkdir -p "$work/pg"
  if [ "$(id -u)" = 0 ]; then chown postgres "$work" "$work/pg"; as_pg() { runuser -u postgres -- "$@"; }; else as_pg() { "$@"; }; fi
  as_pg "$PG_BIN/initdb" -D "$work/pg/data" -U chalkface --auth=trust -E UTF8 --locale=C >/dev/null
  as_pg "$PG_BIN/postgres" -D "$work/pg/data" -p "$pg_port" -c listen_addresses=127.0.0.1 -k "$work/pg" >"$work/pg/log" 2>&1 &
  pg_pid=$!
  for _ in $(seq 1 100); do "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$pg_port" && break; sleep 0.2; done
}
