"""Production settings plus the framework-floor view, for bench/serve.sh only."""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.floor_urls"
