"""Slow clients against one gunicorn sync worker, straight and behind nginx: `bash bench/slow_clients.sh`.

Starts the documented deployment (tests/proxy_server.py: production settings, GUNICORN_WORKERS=1, nginx from
deploy/nginx/encyclopedia.conf), then, while 4 connections trickle a feedback POST body one byte a second,
times GETs of a cached article page: first straight to gunicorn, then through nginx. Prints figures only."""

import argparse
import tempfile
import time
from pathlib import Path

from tests.proxy_server import ARTICLE, Trickle, nginx_available, site


def measure(running, *, through_nginx: bool, clients: int, seconds: float, readers: int) -> list[str]:
    # Straight to gunicorn, say what nginx would have said: the request came over HTTPS (else a redirect).
    headers = {} if through_nginx else {"X-Forwarded-Proto": "https"}
    running.get(ARTICLE, through_nginx=through_nginx, headers=headers)  # into the page cache
    port = running.https_port if through_nginx else running.gunicorn_port
    timings = []
    with Trickle(port, tls=through_nginx, count=clients, seconds=seconds):
        time.sleep(1)  # the slow bodies have started
        for _ in range(readers):
            started = time.monotonic()
            try:
                status, _, _, took = running.get(
                    ARTICLE, through_nginx=through_nginx, timeout=seconds + 10, headers=headers
                )
                timings.append(f"{took * 1000:,.0f} ms ({status})")
            except TimeoutError:
                timings.append(f"no answer in {time.monotonic() - started:.0f} s")
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15, help="how long each slow client keeps sending")
    parser.add_argument("--readers", type=int, default=3, help="GETs timed one after the other")
    options = parser.parse_args()
    if not nginx_available():
        raise SystemExit("error: nginx is missing (apt-get install nginx-light).")
    with tempfile.TemporaryDirectory() as work, site(Path(work)) as running:
        print(
            f"{options.clients} clients sending a feedback body at 1 byte/s for {options.seconds:.0f} s; "
            f"gunicorn with 1 sync worker; a cached article page timed {options.readers} times, one after another"
        )
        for through_nginx, label in [(False, "straight to gunicorn"), (True, "through nginx")]:
            timings = measure(running, through_nginx=through_nginx, clients=options.clients,
                              seconds=options.seconds, readers=options.readers)  # fmt: skip
            print(f"  {label:22} {', '.join(timings)}")


if __name__ == "__main__":
    main()
