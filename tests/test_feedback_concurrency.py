"""N readers sending feedback at the same moment through the real HTTP server: N records, N emails."""

import threading
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.db.models import Sum

from editorial.models import Feedback, RateLimitCounter

from .feedback_helpers import general

SUBMISSIONS = 20


# Runs on PostgreSQL (and on SQLite, where it passes too): the live server handles each request in its own thread.
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_submissions_through_the_server_make_twenty_records(live_server, settings):
    settings.FEEDBACK_MESSAGES_PER_WINDOW = SUBMISSIONS  # exactly enough: the 21st would be refused
    start = threading.Barrier(SUBMISSIONS)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)

    def send(number: int) -> int:
        request = urllib.request.Request(
            f"{live_server.url}/feedback/",
            data=urlencode(general(f"Simultaneous message {number}")).encode(),
            headers={"Origin": live_server.url, "Content-Type": "application/x-www-form-urlencoded"},
        )
        start.wait(timeout=30)
        try:
            with opener.open(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    with ThreadPoolExecutor(max_workers=SUBMISSIONS) as pool:
        statuses = list(pool.map(send, range(SUBMISSIONS)))

    assert statuses == [302] * SUBMISSIONS
    assert Feedback.objects.count() == SUBMISSIONS
    assert set(Feedback.objects.values_list("message", flat=True)) == {
        f"Simultaneous message {number}" for number in range(SUBMISSIONS)
    }
    # No lost update in the shared counter (summed: the burst may straddle two windows).
    assert RateLimitCounter.objects.aggregate(hits=Sum("hits"))["hits"] == SUBMISSIONS
    assert len(mail.outbox) == SUBMISSIONS
    assert Feedback.objects.filter(notified_at__isnull=True).count() == 0
