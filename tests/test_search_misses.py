"""Searches that found nothing are kept as one row per normalised query, and anonymous readers
cannot make the table grow without limit: new rows are limited per client and per day."""

import random
import string

import pytest
from django.core.cache import cache

from encyclopedia.models import SearchMiss

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_counters(settings):
    settings.SEARCH_MISS_NEW_PER_CLIENT_PER_HOUR = 10
    settings.SEARCH_MISS_NEW_PER_DAY = 25
    cache.clear()
    yield
    cache.clear()


def miss(client, text: str, address: str = "203.0.113.7"):
    response = client.get("/search/", {"q": text}, REMOTE_ADDR=address)
    assert response.status_code == 200
    return response


def random_words(rng: random.Random) -> str:
    return " ".join("".join(rng.choices(string.ascii_lowercase, k=8)) for _ in range(2))


def test_one_client_adds_at_most_its_hourly_number_of_new_rows(client):
    rng = random.Random(1)
    for _ in range(50):
        miss(client, random_words(rng))
    assert SearchMiss.objects.count() == 10


def test_every_client_together_add_at_most_the_daily_number_of_new_rows(client):
    rng = random.Random(2)
    for number in range(60):
        miss(client, random_words(rng), address=f"198.51.100.{number}")
    assert SearchMiss.objects.count() == 25


def test_a_query_already_kept_is_still_counted_when_the_client_may_add_no_more(client):
    miss(client, "zebra stripes")
    rng = random.Random(3)
    for _ in range(20):
        miss(client, random_words(rng))
    miss(client, "Zebra  Stripes?")
    row = SearchMiss.objects.get(query="zebra stripes")
    assert row.count == 2 and row.last_searched_at >= row.first_searched_at


@pytest.mark.parametrize("text", ["12345 67890", "1234", "x" * 100, " ".join(["abcdefghi"] * 12)])
def test_queries_without_letters_or_of_100_characters_or_more_are_not_kept(client, text):
    miss(client, text)
    assert not SearchMiss.objects.exists()
