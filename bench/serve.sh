#!/usr/bin/env bash
# Requests per second and latency of the production server, next to the framework floor.
#   bash bench/serve.sh [SIZE ...]   (default: 1000 100000 articles)
# Starts a throwaway PostgreSQL cluster, tops it up to each size with generate_articles (plus the
# demo content), serves it with gunicorn (production settings, 2 workers) on loopback and drives
# each URL with wrk (2 threads, 32 connections, 10 s). A script that prints figures, not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv requirements.txt
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null; }
sizes=("${@:-1000 100000}")
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

work=$(mktemp -d); chmod 755 "$work"; [ "$(id -u)" = 0 ] && chown postgres "$work"
as_pg() { if [ "$(id -u)" = 0 ]; then (cd "$work" && runuser -u postgres -- "$@"); else "$@"; fi; }
free_port() { .venv/bin/python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; as_pg "$PG_BIN/pg_ctl" -D "$work/data" -m fast stop >/dev/null 2>&1; rm -rf "$work"' EXIT

pg_port=$(free_port)
as_pg "$PG_BIN/initdb" -D "$work/data" -N --auth=trust -E UTF8 --locale=C.UTF-8 -U postgres >/dev/null
as_pg "$PG_BIN/pg_ctl" -D "$work/data" -w -l "$work/pg.log" start -o "-k $work -p $pg_port -c listen_addresses=127.0.0.1 -c fsync=off -c shared_buffers=512MB" >/dev/null
as_pg "$PG_BIN/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres encyclopedia

export DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=bench-$RANDOM$RANDOM ALLOWED_HOSTS=127.0.0.1 \
  SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0 STATIC_ROOT="$work/static" GUNICORN_WORKERS=2 \
  DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/encyclopedia"
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py collectstatic --no-input -v0
.venv/bin/python manage.py load_demo_content >/dev/null

run_wrk() {  # url -> "rps p50 p99"
  wrk -t2 -c32 -d10s --latency ${2:+-H "$2"} "$1" | .venv/bin/python -c '
import re, sys
text = sys.stdin.read()
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
def ms(label):
    value, unit = re.search(label + r"\s+([\d.]+)(us|ms|s)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
p50, p99 = ms("50%"), ms("99%")
print(f"{rps:.0f} {p50:.1f} {p99:.1f} {errors.group(1) if errors else 0}")'
}

for size in ${sizes[@]}; do
  current=$(.venv/bin/python manage.py shell -c "from encyclopedia.models import Article; print(Article.objects.count())" 2>/dev/null | tail -1)
  if [ "$current" -lt "$size" ]; then .venv/bin/python manage.py generate_articles --count $((size - current)) >/dev/null; fi
  as_pg "$PG_BIN/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres encyclopedia -c "VACUUM ANALYZE" >/dev/null
  port=$(free_port)
  DJANGO_SETTINGS_MODULE=bench.settings .venv/bin/gunicorn -c config/gunicorn.py --bind "127.0.0.1:$port" \
    --access-logfile /dev/null config.wsgi >"$work/gunicorn.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/bench/floor/" && break; sleep 0.2; done
  base="http://127.0.0.1:$port"
  article=$(.venv/bin/python manage.py shell -c "from encyclopedia.models import Article; print(Article.objects.published().order_by('pk')[$size // 2].get_absolute_url())" 2>/dev/null | tail -1)
  etag=$(curl -sI "$base/symptoms/leg-cramps/" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
  echo; echo "== $(.venv/bin/python manage.py shell -c "from encyclopedia.models import Article; print(Article.objects.count())" 2>/dev/null | tail -1) articles, gunicorn 2 workers, wrk 2 threads x 32 connections x 10 s =="
  read -r floor_rps floor_p50 floor_p99 floor_errors <<<"$(run_wrk "$base/bench/floor/")"
  printf "%-34s %9s %8s %8s %9s %7s\n" page "req/s" "p50 ms" "p99 ms" "of floor" errors
  printf "%-34s %9s %8s %8s %8s%% %7s\n" "framework floor (20 KB page)" "$floor_rps" "$floor_p50" "$floor_p99" 100 "$floor_errors"
  for entry in "home|$base/|" "A-Z index, letter C page 2|$base/symptoms/?letter=C&page=2|" \
      "article, uncached (session cookie)|$base$article|Cookie: sessionid=bench" "article, cached|$base/symptoms/leg-cramps/|" \
      "article, 304 revalidation|$base/symptoms/leg-cramps/|If-None-Match: $etag" "search|$base/search/?q=leg+cramps|"; do
    IFS='|' read -r label url header <<<"$entry"
    read -r rps p50 p99 errors <<<"$(run_wrk "$url" "$header")"
    printf "%-34s %9s %8s %8s %8s%% %7s\n" "$label" "$rps" "$p50" "$p99" "$(( rps * 100 / floor_rps ))" "$errors"
  done
  rss=$(ps -o rss= --ppid "$server" | awk '{s+=$1; n++} END {printf "%.0f MB per worker (%d workers)", s/n/1024, n}')
  echo "resident memory: $rss"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
done
