"""The article page stays light: its own CSS and JavaScript together under 30 KB compressed,
and nothing render-blocking from another site."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders

from .conftest import make_article

pytestmark = pytest.mark.django_db
BUDGET = 30 * 1024


def test_article_css_and_javascript_fit_in_30_kb_compressed(client):
    make_article(slug="light")
    page = client.get("/symptoms/light/").content.decode()
    assets = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page) + re.findall(
        r'<script[^>]* src="([^"]+)"', page
    )
    assert assets, "the page links its stylesheet"
    total = 0
    for url in assets:
        assert url.startswith("/static/"), f"{url} is not served by the site itself"
        path = finders.find(url.removeprefix("/static/"))
        with open(path, "rb") as asset:
            total += len(gzip.compress(asset.read(), compresslevel=9))
    assert total < BUDGET, f"{total} bytes compressed"
