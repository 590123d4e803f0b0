#!/usr/bin/env bash
# Requests per second and latency of the production server, next to the framework floor.
#   bash bench/serve.sh [SIZE ...]   (default: 1000 100000 articles)
# Starts a throwaway PostgreSQL cluster, tops it up to each size with generate_articles (plus the
# demo content), serves it with gunicorn (production settings, 2 workers) on loopback and drives
# each URL with wrk (2 threads, 32 connections, 10 s). A script that prints figures, not a test.
set -euo pipefail
source "$(dirname "$0")/common.sh"
sizes=("${@:-1000 100000}")

start_postgres
manage migrate -v0
manage collectstatic --no-input -v0
manage load_demo_content >/dev/null

run_wrk() { wrk -t2 -c32 -d10s --latency ${2:+-H "$2"} "$1" | wrk_figures; }

for size in ${sizes[@]}; do
  current=$(shell "from encyclopedia.models import Article; print(Article.objects.count())")
  if [ "$current" -lt "$size" ]; then manage generate_articles --count $((size - current)) >/dev/null; fi
  as_pg "$PG_BIN/psql" -q "$DATABASE_URL" -c "VACUUM ANALYZE" >/dev/null
  port=$(free_port)
  DJANGO_SETTINGS_MODULE=bench.settings .venv/bin/gunicorn -c config/gunicorn.py --bind "127.0.0.1:$port" \
    config.wsgi >"$work/gunicorn.log" 2>&1 &
  server=$!
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/bench/floor/" && break; sleep 0.2; done
  base="http://127.0.0.1:$port"
  article=$(shell "from encyclopedia.models import Article; print(Article.objects.published().order_by('pk')[$size // 2].get_absolute_url())")
  etag=$(curl -sI "$base/symptoms/leg-cramps/" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag"{print $2}')
  echo; echo "== $(shell "from encyclopedia.models import Article; print(Article.objects.count())") articles, gunicorn 2 workers, wrk 2 threads x 32 connections x 10 s =="
  read -r floor_rps floor_p50 floor_p99 floor_errors _ <<<"$(run_wrk "$base/bench/floor/")"
  printf "%-34s %9s %8s %8s %9s %7s\n" page "req/s" "p50 ms" "p99 ms" "of floor" errors
  printf "%-34s %9s %8s %8s %8s%% %7s\n" "framework floor (20 KB page)" "$floor_rps" "$floor_p50" "$floor_p99" 100 "$floor_errors"
  for entry in "home|$base/|" "A-Z index, letter C page 2|$base/symptoms/?letter=C&page=2|" \
      "article, uncached (session cookie)|$base$article|Cookie: sessionid=bench" "article, cached|$base/symptoms/leg-cramps/|" \
      "article, 304 revalidation|$base/symptoms/leg-cramps/|If-None-Match: $etag" "search|$base/search/?q=leg+cramps|"; do
    IFS='|' read -r label url header <<<"$entry"
    read -r rps p50 p99 errors _ <<<"$(run_wrk "$url" "$header")"
    printf "%-34s %9s %8s %8s %8s%% %7s\n" "$label" "$rps" "$p50" "$p99" "$(( rps * 100 / floor_rps ))" "$errors"
  done
  echo "resident memory: $(worker_memory)"
  kill "$server"; wait "$server" 2>/dev/null || true; server=""
done
