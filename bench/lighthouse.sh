#!/usr/bin/env bash
# Lighthouse (performance, accessibility, best practices, SEO) on the demo Leg cramps article,
# served the production way: production settings, collectstatic (hashed, compressed files),
# gunicorn on loopback. Prints the four scores. A script, not a test: `bash bench/lighthouse.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv requirements.txt

work=$(mktemp -d)
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"' EXIT

# Lighthouse 12.2.3 runs on Node 20 (13 wants Node 22); kept outside the repository.
LIGHTHOUSE_DIR=${LIGHTHOUSE_DIR:-$HOME/.cache/encyclopedia-lighthouse}
if [ ! -x "$LIGHTHOUSE_DIR/node_modules/.bin/lighthouse" ]; then
  npm install --silent --no-save --no-audit --no-fund --prefix "$LIGHTHOUSE_DIR" lighthouse@12.2.3 >/dev/null
fi

port=$(.venv/bin/python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
export DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=lighthouse-only-$RANDOM$RANDOM \
  ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0 \
  DATABASE_URL="sqlite:///$work/db.sqlite3" STATIC_ROOT="$work/static"
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py load_demo_content >/dev/null
.venv/bin/python manage.py collectstatic --no-input -v0
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$port" --workers 2 --log-level warning &
server_pid=$!
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done

url="http://127.0.0.1:$port/symptoms/leg-cramps/"
CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} "$LIGHTHOUSE_DIR/node_modules/.bin/lighthouse" "$url" \
  --quiet --output=json --output-path="$work/report.json" \
  --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run --disable-quic" \
  --only-categories=performance,accessibility,best-practices,seo
.venv/bin/python - "$work/report.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
print(f"Lighthouse {report['lighthouseVersion']} on {report['finalDisplayedUrl']}")
for category in report["categories"].values():
    print(f"  {category['title']:<16} {round(category['score'] * 100)}")
audits = report["audits"]
print(f"  transferred: {audits['total-byte-weight']['numericValue'] / 1024:.1f} KiB in all")
PY
