# Sourced by bench/serve.sh and bench/load.sh: a throwaway PostgreSQL cluster, removed on exit
# with the gunicorn process in $server, and wrk's figures on one line.
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv requirements.txt
command -v wrk >/dev/null || { echo "error: wrk is missing (apt-get install wrk)." >&2; exit 1; }
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

work=$(mktemp -d); chmod 755 "$work"; [ "$(id -u)" = 0 ] && chown postgres "$work"
as_pg() { if [ "$(id -u)" = 0 ]; then (cd "$work" && runuser -u postgres -- "$@"); else "$@"; fi; }
free_port() { .venv/bin/python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }
manage() { .venv/bin/python manage.py "$@"; }
shell() { manage shell -c "$1" 2>/dev/null | tail -1; }
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; as_pg "$PG_BIN/pg_ctl" -D "$work/data" -m fast stop >/dev/null 2>&1; rm -rf "$work"' EXIT

start_postgres() {  # sets DATABASE_URL to an empty database on a new cluster
  local port
  port=$(free_port)
  as_pg "$PG_BIN/initdb" -D "$work/data" -N --auth=trust -E UTF8 --locale=C.UTF-8 -U postgres >/dev/null
  as_pg "$PG_BIN/pg_ctl" -D "$work/data" -w -l "$work/pg.log" start \
    -o "-k $work -p $port -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=512MB" >/dev/null
  as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres encyclopedia
  export DATABASE_URL="postgres://postgres@127.0.0.1:$port/encyclopedia"
}

# Production settings on plain HTTP and loopback.
export DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=bench-$RANDOM$RANDOM ALLOWED_HOSTS=127.0.0.1 \
  SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0 STATIC_ROOT="$work/static" GUNICORN_WORKERS=2

wrk_figures() {  # wrk's output on stdin -> "req/s p50_ms p99_ms not_2xx_3xx socket_errors"
  .venv/bin/python -c '
import re, sys
text = sys.stdin.read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
def ms(label):
    value, unit = re.search(label + r"\s+([\d.]+)(us|ms|s)\b", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
p50, p99 = ms("50%"), ms("99%")
print(f"{rps:.0f} {p50:.1f} {p99:.1f}", bad.group(1) if bad else 0, sum(map(int, sockets.groups())) if sockets else 0)'
}

worker_memory() {
  ps -o rss= --ppid "$server" | awk '{s+=$1; n++} END {printf "%.0f MB per worker (%d workers)", s/n/1024, n}'
}
