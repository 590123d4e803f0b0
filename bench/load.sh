#!/usr/bin/env bash
# The production server under load: an article page, a search and the feedback form.
#   bash bench/load.sh
# Starts a throwaway PostgreSQL cluster with the demo content, serves it with gunicorn (production
# settings, 2 workers) on loopback and drives each URL with wrk for 30 s (2 threads, 64
# connections). Prints requests/s, p50/p99 latency and the answers that were not 2xx/3xx, and for
# the feedback form the accepted answers next to the feedback rows stored. Exits with 1 when any
# answer was an error or a lost connection, or when the two feedback counts differ (the last lines
# of gunicorn's log are printed then). A script that prints figures, not a test.
set -euo pipefail
source "$(dirname "$0")/common.sh"
SECONDS_PER_URL=${SECONDS_PER_URL:-30}  # shorter for a quick try of the script itself
failed=0
fail() { echo "FAILED: $*"; failed=1; }

start_postgres

# The per-client limits out of the way: every request comes from 127.0.0.1, so the real limits
# would answer 429 within a second. A fill time of 0 s plus a valid signed stamp makes each
# message count as written by a person, not as spam.
export FEEDBACK_MESSAGES_PER_WINDOW=100000000 FEEDBACK_VOTES_PER_WINDOW=100000000 API_RATE_LIMIT_REQUESTS=100000000 \
  FEEDBACK_MIN_FILL_SECONDS=0
manage migrate -v0
manage collectstatic --no-input -v0
manage load_demo_content >/dev/null

port=$(free_port)
base="http://127.0.0.1:$port"
log="$work/gunicorn.log"
.venv/bin/gunicorn -c config/gunicorn.py --bind "127.0.0.1:$port" config.wsgi >"$log" 2>&1 &
server=$!
for _ in $(seq 100); do curl -sf -o /dev/null "$base/robots.txt" && break; sleep 0.2; done
curl -sf -o /dev/null "$base/robots.txt" || { echo "gunicorn did not start:"; tail -n 30 "$log"; exit 1; }
request_lines() { grep -c '"logger": "access"' "$log" || true; }

wrk_get() { wrk -t2 -c64 -d${SECONDS_PER_URL}s --latency "$1" | wrk_figures; }

echo
echo "== demo content, gunicorn 2 workers (production settings), wrk 2 threads x 64 connections x ${SECONDS_PER_URL} s =="
printf "%-32s %9s %8s %8s %12s %13s %10s\n" "" "req/s" "p50 ms" "p99 ms" "not 2xx/3xx" "socket errors" "log lines"
for entry in "article (page cache)|/symptoms/leg-cramps/" "search|/search/?q=leg+cramps"; do
  IFS='|' read -r label path <<<"$entry"
  before=$(request_lines)
  read -r rps p50 p99 bad sockets <<<"$(wrk_get "$base$path")"
  sleep 1  # requests still in flight when wrk stopped are logged too
  printf "%-32s %9s %8s %8s %12s %13s %10s\n" "$label" "$rps" "$p50" "$p99" "$bad" "$sockets" "$(( $(request_lines) - before ))"
  [ "$bad" = 0 ] || fail "$label: $bad answers were not 2xx/3xx"
  [ "$sockets" = 0 ] || fail "$label: $sockets connections failed or timed out"
done

# The feedback form: SECONDS_PER_URL of posting, then up to 2 s for the last answers to arrive.
stamp=$(shell "from editorial.spam import started_stamp; print(started_stamp())")
count_feedback="from editorial.models import Feedback as F; print(F.objects.filter(status='new').count(), F.objects.filter(status='spam').count())"
read -r new_before spam_before <<<"$(shell "$count_feedback")"
before=$(request_lines)
wrk -t2 -c64 -d$((SECONDS_PER_URL + 2))s --timeout 10s -s bench/load_feedback.lua "$base/feedback/" \
  -- "$base" "$stamp" "$SECONDS_PER_URL" >"$work/wrk-feedback.txt"
sleep 1
declare -A feedback
while read -r name value; do feedback[$name]=$value; done < <(grep -E '^[a-z_0-9]+ [0-9.]+$' "$work/wrk-feedback.txt")
read -r new_after spam_after <<<"$(shell "$count_feedback")"
stored=$((new_after - new_before)); spam=$((spam_after - spam_before))
rps=$(( feedback[requests] / SECONDS_PER_URL ))
printf "%-32s %9s %8s %8s %12s %13s %10s\n" "feedback POST" "$rps" "${feedback[p50_ms]}" "${feedback[p99_ms]}" \
  "${feedback[refused]}" "${feedback[socket_errors]}" "$(( $(request_lines) - before ))"
echo
echo "feedback accepted (2xx/3xx answers seen by wrk): ${feedback[accepted]}"
echo "feedback rows stored:                            $stored (and $spam kept as spam)"
echo "answers by status: $(grep -E '^status_' "$work/wrk-feedback.txt" | sed 's/^status_//; s/ /: /' | paste -sd, | sed 's/,/, /g')"
[ "${feedback[refused]}" = 0 ] || fail "feedback: ${feedback[refused]} answers were not 2xx/3xx"
[ "${feedback[socket_errors]}" = 0 ] || fail "feedback: ${feedback[socket_errors]} connections failed or timed out"
[ "${feedback[accepted]}" = "$stored" ] || fail "feedback: ${feedback[accepted]} accepted but $stored stored"
[ "$spam" = 0 ] || fail "feedback: $spam messages were taken for spam"

echo "resident memory: $(worker_memory)"
if [ "$failed" != 0 ]; then
  echo; echo "== last lines of gunicorn's log ($log) =="; tail -n 30 "$log"
  exit 1
fi
