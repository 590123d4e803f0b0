"""Per-client rate limits on messages and votes, counted in the database, and who the client is."""

import datetime
import time

import pytest
import time_machine
from django.test import Client, RequestFactory

from core.clients import client_address, client_hash
from editorial.models import Feedback, RateLimitCounter, Vote

from .conftest import SAME_ORIGIN
from .feedback_helpers import general, post_feedback, vote

pytestmark = pytest.mark.django_db


@pytest.fixture
def limits(settings):
    settings.FEEDBACK_RATE_WINDOW_SECONDS = 600
    settings.FEEDBACK_MESSAGES_PER_WINDOW = 5
    settings.FEEDBACK_VOTES_PER_WINDOW = 8
    return settings


@pytest.fixture
def window_start():
    """A moment at the very start of a 10-minute window, so the test knows when it ends."""
    now = int(time.time())
    return datetime.datetime.fromtimestamp(now - now % 600 + 600, tz=datetime.UTC)


def test_the_sixth_message_in_ten_minutes_gets_429_saying_when_to_try_again(client, limits, window_start):
    with time_machine.travel(window_start + datetime.timedelta(minutes=2, seconds=30), tick=False):
        for number in range(5):
            assert post_feedback(client, general(f"Message {number}")).status_code == 302
        response = post_feedback(client, general("The sixth, still wanted"))
    assert response.status_code == 429
    assert response["Retry-After"] == "450"  # seven and a half minutes to the end of the window
    page = response.content.decode()
    assert "Please wait before sending more" in page
    assert "at most 5 every 10 minutes" in page
    assert f'datetime="{(window_start + datetime.timedelta(minutes=10)).isoformat()}"' in page
    assert "The sixth, still wanted</textarea>" in page  # nothing the reader wrote is lost
    assert Feedback.objects.count() == 5


def test_the_limit_resets_when_the_window_ends(client, limits, window_start):
    with time_machine.travel(window_start, tick=False) as traveller:
        for number in range(5):
            post_feedback(client, general(f"Message {number}"))
        assert post_feedback(client, general("Too soon")).status_code == 429
        traveller.shift(datetime.timedelta(minutes=9, seconds=59))
        assert post_feedback(client, general("Still too soon")).status_code == 429
        traveller.shift(datetime.timedelta(seconds=1))
        assert post_feedback(client, general("After the window")).status_code == 302
    assert Feedback.objects.filter(message="After the window").exists()


def test_invalid_forms_do_not_use_up_the_limit(client, limits, window_start):
    with time_machine.travel(window_start, tick=False):
        for _ in range(10):
            assert post_feedback(client, general("")).status_code == 400
        assert post_feedback(client, general("Finally right")).status_code == 302


def test_spam_counts_towards_the_limit(client, limits, window_start):
    with time_machine.travel(window_start, tick=False):
        for _ in range(5):
            post_feedback(client, general("Pills", website="x"))
        assert post_feedback(client, general("Pills", website="x")).status_code == 429
    assert Feedback.objects.filter(status="spam").count() == 5


def test_another_client_is_not_held_back(client, limits, window_start):
    with time_machine.travel(window_start, tick=False):
        for number in range(6):
            post_feedback(client, general(f"Message {number}"))
        other = Client(REMOTE_ADDR="192.0.2.44")
        assert post_feedback(other, general("From elsewhere")).status_code == 302


def test_votes_have_their_own_looser_limit(client, limits, window_start, leg_cramps):
    with time_machine.travel(window_start, tick=False):
        for _ in range(8):
            assert vote(client, leg_cramps).status_code == 303
        refused = vote(client, leg_cramps)
        assert refused.status_code == 429
        assert "Answer not counted" in refused.content.decode()
        assert refused["Retry-After"] == "600"
        as_json = vote(client, leg_cramps, headers={**SAME_ORIGIN, "Accept": "application/json"})
        assert as_json.status_code == 429 and "many times" in as_json.json()["error"]
        # Messages are counted apart from votes.
        assert post_feedback(client, general("Still allowed")).status_code == 302
    assert Vote.objects.count() == 8


def test_the_counters_hold_only_a_keyed_hash_of_the_address(client, limits):
    client.defaults["REMOTE_ADDR"] = "203.0.113.9"
    post_feedback(client, general())
    counter = RateLimitCounter.objects.get()
    feedback = Feedback.objects.get()
    assert counter.client_hash == feedback.client_hash
    assert len(counter.client_hash) == 64 and "203.0.113" not in counter.client_hash
    stored = " ".join(str(value) for value in Feedback.objects.values_list().get())
    assert "203.0.113.9" not in stored


def test_the_hash_depends_on_the_secret_key(rf, settings):
    request = rf.get("/", REMOTE_ADDR="203.0.113.9")
    first = client_hash(request)
    settings.SECRET_KEY = "another-secret"
    assert client_hash(request) != first


def test_ipv6_clients_are_counted_by_their_64_network(rf):
    one = rf.get("/", REMOTE_ADDR="2001:db8:1:2::10")
    same_network = rf.get("/", REMOTE_ADDR="2001:db8:1:2:ffff::1")
    other_network = rf.get("/", REMOTE_ADDR="2001:db8:1:3::10")
    assert client_hash(one) == client_hash(same_network) != client_hash(other_network)


class TestClientAddress:
    rf = RequestFactory()

    def test_forwarded_header_is_ignored_without_a_trusted_proxy(self, settings):
        settings.TRUSTED_PROXY_COUNT = 0
        request = self.rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert client_address(request) == "10.0.0.1"

    def test_behind_one_trusted_proxy_the_address_it_saw_is_used(self, settings):
        settings.TRUSTED_PROXY_COUNT = 1
        request = self.rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7")
        assert client_address(request) == "198.51.100.7"  # 6.6.6.6 was written by the client

    def test_behind_two_proxies_the_outer_ones_entry_is_used(self, settings):
        settings.TRUSTED_PROXY_COUNT = 2
        request = self.rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7, 10.0.0.1")
        assert client_address(request) == "198.51.100.7"

    def test_a_request_that_skipped_the_proxy_falls_back_to_remote_addr(self, settings):
        settings.TRUSTED_PROXY_COUNT = 2
        request = self.rf.get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert client_address(request) == "10.0.0.2"

    def test_rate_limit_follows_the_forwarded_client_behind_a_trusted_proxy(self, client, settings, limits):
        settings.TRUSTED_PROXY_COUNT = 1
        for number in range(5):
            post_feedback(client, general(f"M{number}"), HTTP_X_FORWARDED_FOR="198.51.100.7")
        assert post_feedback(client, general("6"), HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 429
        assert post_feedback(client, general("other"), HTTP_X_FORWARDED_FOR="198.51.100.8").status_code == 302
