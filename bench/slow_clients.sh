#!/usr/bin/env bash
# Slow clients against one gunicorn sync worker, straight and behind nginx (deploy/nginx/encyclopedia.conf):
# prints how long a reader waits for a cached article while 4 clients trickle a feedback body at 1 byte/s.
# Needs nginx (Debian: nginx-light). Options go to bench/slow_clients.py (--clients, --seconds, --readers).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
ensure_venv requirements.txt
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "error: nginx is missing (apt-get install nginx-light)." >&2; exit 1; }
exec .venv/bin/python -m bench.slow_clients "$@"
