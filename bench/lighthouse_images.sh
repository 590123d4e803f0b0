#!/usr/bin/env bash
# Lighthouse (performance, accessibility) and the bytes a phone downloads, on an article showing three
# of the demo images, served the production way (production settings, collectstatic, gunicorn on
# loopback) with the uploaded files from a second loopback server standing in for nginx or object
# storage (MEDIA_URL on another origin, as with MEDIA_STORAGE_URL). Prints the scores and the bytes.
# A script, not a test: `bash bench/lighthouse_images.sh`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv requirements.txt

work=$(mktemp -d)
pids=()
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done; rm -rf "$work"' EXIT

LIGHTHOUSE_DIR=${LIGHTHOUSE_DIR:-$HOME/.cache/encyclopedia-lighthouse}
if [ ! -x "$LIGHTHOUSE_DIR/node_modules/.bin/lighthouse" ]; then
  npm install --silent --no-save --no-audit --no-fund --prefix "$LIGHTHOUSE_DIR" lighthouse@12.2.3 >/dev/null
fi

free_port() { .venv/bin/python -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])"; }
port=$(free_port)
media_port=$(free_port)
mkdir -p "$work/files/media"
export DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=lighthouse-only-$RANDOM$RANDOM \
  ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0 \
  DATABASE_URL="sqlite:///$work/db.sqlite3" STATIC_ROOT="$work/static" \
  MEDIA_ROOT="$work/files/media" MEDIA_URL="http://127.0.0.1:$media_port/media/"
.venv/bin/python manage.py migrate -v0
.venv/bin/python manage.py load_demo_content >/dev/null
.venv/bin/python manage.py collectstatic --no-input -v0
.venv/bin/python manage.py shell -v0 -c "
from encyclopedia.models import Article, Image
images = Image.objects.filter(title__in=['Calf stretch against a wall', 'Knee joint: healthy and with osteoarthritis', 'Urine colour chart'])
text = 'Some text about the subject, long enough to push the next picture further down the page. ' * 4
body = '\n\n'.join(f'## Part {n}\n\n{text}\n\n![](image:{image.uuid})\n\n{text}' for n, image in enumerate(images, 1))
Article.objects.create(kind='symptom', slug='three-pictures', title='Three pictures', summary='An article with three images.', body=body, status='published')
"
.venv/bin/python -m http.server "$media_port" --bind 127.0.0.1 --directory "$work/files" >/dev/null 2>&1 &
pids+=($!)
.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$port" --workers 2 --log-level warning &
pids+=($!)
for _ in $(seq 50); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done

url="http://127.0.0.1:$port/symptoms/three-pictures/"
CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium} "$LIGHTHOUSE_DIR/node_modules/.bin/lighthouse" "$url" \
  --quiet --output=json --output-path="$work/report.json" --form-factor=mobile --screenEmulation.mobile \
  --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run --disable-quic" \
  --only-categories=performance,accessibility,best-practices,seo
.venv/bin/python - "$work/report.json" <<'PY'
import json, sys
report = json.load(open(sys.argv[1]))
print(f"Lighthouse {report['lighthouseVersion']} on {report['finalDisplayedUrl']} (mobile)")
for category in report["categories"].values():
    print(f"  {category['title']:<16} {round(category['score'] * 100)}")
audits = report["audits"]
print(f"  transferred: {audits['total-byte-weight']['numericValue'] / 1024:.1f} KiB in all")
for item in audits["network-requests"]["details"]["items"]:
    print(f"    {item['transferSize'] / 1024:6.1f} KiB  {item.get('mimeType', '')}  {item['url'][-60:]}")
PY
