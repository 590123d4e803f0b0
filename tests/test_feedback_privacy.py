"""Personal data in feedback is removed after a while; messages and counts stay."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from editorial.models import Feedback, RateLimitCounter, Vote

pytestmark = pytest.mark.django_db


def aged(instance, days: int):
    type(instance).objects.filter(pk=instance.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))
    return instance


@pytest.fixture
def history(leg_cramps):
    old = aged(Feedback.objects.create(article=leg_cramps, message="Old words", name="Ann", email="ann@example.org",
                                       client_hash="a" * 64), days=200)  # fmt: skip
    recent = aged(
        Feedback.objects.create(message="New words", name="Bo", email="bo@example.org", client_hash="b" * 64), 10
    )
    old_vote = aged(Vote.objects.create(article=leg_cramps, helpful="no", client_hash="c" * 64), days=200)
    recent_vote = aged(Vote.objects.create(article=leg_cramps, helpful="yes", client_hash="d" * 64), days=10)
    expired = RateLimitCounter.objects.create(
        scope="messages", client_hash="e" * 64, window_start=timezone.now() - datetime.timedelta(days=1), hits=3
    )
    return old, recent, old_vote, recent_vote, expired


def test_purge_removes_names_emails_and_hashes_from_old_feedback_only(history, capsys):
    old, recent, old_vote, recent_vote, _ = history
    call_command("purge_feedback_personal_data", "--older-than", "180")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.name, old.email, old.client_hash, old.message, old.article_id) == (
        "",
        "",
        "",
        "Old words",
        old.article_id,
    )
    assert (recent.name, recent.email, recent.client_hash) == ("Bo", "bo@example.org", "b" * 64)
    assert Vote.objects.get(pk=old_vote.pk).client_hash == ""
    assert Vote.objects.get(pk=recent_vote.pk).client_hash == "d" * 64
    assert Vote.objects.count() == 2 and Feedback.objects.count() == 2  # the counts stay
    assert not RateLimitCounter.objects.exists()
    assert "from 1 feedback item(s) and 1 vote(s)" in capsys.readouterr().out


def test_purge_defaults_to_the_retention_setting(history, settings):
    old, recent, *_ = history
    settings.FEEDBACK_PERSONAL_DATA_DAYS = 5
    call_command("purge_feedback_personal_data")
    assert set(Feedback.objects.values_list("email", flat=True)) == {""}


def test_purge_refuses_a_negative_age():
    with pytest.raises(CommandError, match="0 or more days"):
        call_command("purge_feedback_personal_data", "--older-than", "-1")
