#!/usr/bin/env bash
# An article through Varnish, next to the same article from gunicorn, the same bytes from nginx and the
# framework floor, in one run; then how long an edit takes to reach readers through Varnish.
#   bash bench/edge.sh
# Starts a throwaway PostgreSQL cluster with the demo content, serves it with gunicorn (production settings,
# 2 workers) behind Varnish started from deploy/varnish/default.vcl (as tests/test_edge.py starts it, purged
# through EDGE_CACHE_PURGE_URLS), and nginx serving the article's bytes from a file, all on loopback. Drives
# each with wrk (2 threads, 32 connections, 10 s) and prints requests/s, p50, p99 and error answers. Then
# edits the article five times and prints, for each, the time from the commit to the purge accepted by
# Varnish and to the first request through Varnish that shows the edit. A script that prints figures, not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v wrk >/dev/null || missing+=(wrk)
[ -x /usr/sbin/varnishd ] && compgen -G "/usr/lib/*/varnish/vmods/libvmod_xkey.so" >/dev/null || missing+=(varnish varnish-modules)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx-light)
if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "error: missing ${missing[*]} (apt-get install ${missing[*]})." >&2; exit 1; }
  apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi
source bench/common.sh
SECONDS_PER_URL=${SECONDS_PER_URL:-10}
pids=()
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; for pid in ${pids[@]+"${pids[@]}"}; do kill "$pid" 2>/dev/null; done
  as_pg "$PG_BIN/pg_ctl" -D "$work/data" -m fast stop >/dev/null 2>&1; rm -rf "$work"' EXIT
wait_for() { for _ in $(seq 100); do curl -sf -o /dev/null "$1" && return; sleep 0.2; done; echo "nothing answers at $1" >&2; exit 1; }

start_postgres
manage migrate -v0
manage collectstatic --no-input -v0
manage load_demo_content >/dev/null

gunicorn_port=$(free_port) varnish_port=$(free_port) nginx_port=$(free_port)
export EDGE_CACHE_PURGE_URLS="http://127.0.0.1:$varnish_port/" TRUSTED_PROXY_COUNT=1
DJANGO_SETTINGS_MODULE=bench.settings .venv/bin/gunicorn -c config/gunicorn.py --bind "127.0.0.1:$gunicorn_port" \
  config.wsgi >"$work/gunicorn.log" 2>&1 &
server=$!
wait_for "http://127.0.0.1:$gunicorn_port/bench/floor/"

# Varnish: the shipped VCL, its backend's port replaced as an operator would.
mkdir -m 755 "$work/varnish"
.venv/bin/python -c "from tests.edge_server import render_vcl; print(render_vcl(backend_port=$gunicorn_port))" \
  >"$work/varnish/default.vcl"
varnishd -F -a "127.0.0.1:$varnish_port" -f "$work/varnish/default.vcl" -s malloc,256m -n "$work/varnish/state" \
  -T none >"$work/varnish.log" 2>&1 &
pids+=($!)
article=/symptoms/leg-cramps/
wait_for "http://127.0.0.1:$varnish_port$article"
[ "$(curl -s -o /dev/null -D - "http://127.0.0.1:$varnish_port$article" | tr -d '\r' | awk -F': ' '$1=="X-Cache"{print $2}')" = HIT ] \
  || { echo "error: the article is not a hit in Varnish." >&2; exit 1; }

# nginx: the same bytes, from a file.
mkdir -p "$work/www/symptoms/leg-cramps" "$work/nginx"
curl -sf -o "$work/www/symptoms/leg-cramps/index.html" "http://127.0.0.1:$varnish_port$article"
cat >"$work/nginx/nginx.conf" <<EOF
worker_processes 2;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
$([ "$(id -u)" = 0 ] && echo "user root;")
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $work/nginx/body;
    proxy_temp_path $work/nginx/proxy;
    fastcgi_temp_path $work/nginx/fastcgi;
    uwsgi_temp_path $work/nginx/uwsgi;
    scgi_temp_path $work/nginx/scgi;
    server { listen 127.0.0.1:$nginx_port; root $work/www; }
}
EOF
nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" -g 'daemon off;' 2>>"$work/nginx/error.log" &
pids+=($!)
wait_for "http://127.0.0.1:$nginx_port$article"

run_wrk() { wrk -t2 -c32 -d${SECONDS_PER_URL}s --latency "$1" | wrk_figures; }
bytes=$(stat -c %s "$work/www/symptoms/leg-cramps/index.html")
echo
echo "== demo content; gunicorn 2 workers; wrk 2 threads x 32 connections x ${SECONDS_PER_URL} s; article $((bytes / 1024)) KB =="
printf "%-40s %9s %8s %8s %7s %7s\n" "" "req/s" "p50 ms" "p99 ms" "errors" "sockets"
declare -A rate
for entry in "varnish|article through Varnish|http://127.0.0.1:$varnish_port$article" \
    "gunicorn|article from gunicorn (page cache)|http://127.0.0.1:$gunicorn_port$article" \
    "nginx|same bytes, static file from nginx|http://127.0.0.1:$nginx_port$article" \
    "floor|Django floor (constant 20 KB page)|http://127.0.0.1:$gunicorn_port/bench/floor/"; do
  IFS='|' read -r name label url <<<"$entry"
  read -r rps p50 p99 bad sockets <<<"$(run_wrk "$url")"
  rate[$name]=$rps
  printf "%-40s %9s %8s %8s %7s %7s\n" "$label" "$rps" "$p50" "$p99" "$bad" "$sockets"
done
echo "Varnish: $(( rate[varnish] * 100 / rate[nginx] )) % of nginx, $(.venv/bin/python -c "print(f'{${rate[varnish]} / ${rate[floor]}:.1f}')") x the Django floor"

echo
echo "== an edit, from its commit to readers through Varnish (5 edits) =="
manage shell --no-imports -c "
import http.client, time
from django.db import transaction
from encyclopedia.models import Article

def through_varnish():
    connection = http.client.HTTPConnection('127.0.0.1', $varnish_port, timeout=5)
    connection.request('GET', '$article')  # Host: 127.0.0.1:PORT, as wrk and curl ask
    response = connection.getresponse()
    return response.read().decode(), response.headers['X-Cache'], dict(response.headers)

for number in range(1, 6):
    answer = through_varnish()
    assert answer[1] == 'HIT', answer[2]
    text = f'Edited for the benchmark, time {number}.'
    times = {}
    with transaction.atomic():
        transaction.on_commit(lambda: times.setdefault('committed', time.perf_counter()))  # runs first
        article = Article.objects.get(slug='leg-cramps')
        article.summary = text
        article.save()
    purged = time.perf_counter()  # the purge is sent by the commit's callbacks, before atomic() returns
    requests = 1
    while text not in through_varnish()[0]:
        requests += 1
    seen = time.perf_counter()
    print(f'edit {number}: purge accepted {(purged - times[\"committed\"]) * 1000:.1f} ms after the commit; '
          f'request {requests} through Varnish showed it, {(seen - times[\"committed\"]) * 1000:.1f} ms after')
    through_varnish()
"
echo "edge purges pending afterwards: $(curl -s "http://127.0.0.1:$gunicorn_port/healthz" | awk -F': ' '/pending/{print $2}')"
