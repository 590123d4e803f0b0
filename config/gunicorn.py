"""gunicorn settings: `gunicorn -c config/gunicorn.py config.wsgi`.

Environment: PORT (8000), GUNICORN_WORKERS (the CPU count by default; pages are mostly served
from the cache, so CPU, not I/O, is the limit), GUNICORN_TIMEOUT (30 s).
"""

import multiprocessing
import os
import sys

bind = f"{os.environ.get('BIND_ADDRESS', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count()))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))  # a stuck worker is restarted after this
graceful_timeout = 20
keepalive = 5
max_requests = 5000  # recycle workers now and then, whatever leaks
max_requests_jitter = 500
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# No access log of gunicorn's own: Django writes one JSON line per request, with its request id
# and without the query string (core/request_log.py). A second line per request would only add
# volume, and gunicorn's request line ("%(r)s") would bring the query string back.
accesslog = None
errorlog = "-"  # gunicorn's own messages: start, stop, worker timeouts


def post_worker_init(worker):
    """After the worker has loaded the site: check its caches suit this many workers (see
    encyclopedia.page_cache.server_start); the first worker says which cache holds the pages."""
    from django.core.exceptions import ImproperlyConfigured

    from encyclopedia.page_cache import server_start

    try:
        line = server_start(worker.cfg.workers) if worker.age == 1 else None
    except ImproperlyConfigured as error:
        worker.log.error("Refusing to start: %s", error)
        sys.exit(3)  # gunicorn's "worker failed to boot": the whole server stops
    if line:
        worker.log.info(line)
