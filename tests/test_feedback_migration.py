"""Feedback stored before votes existed is carried over: answers become votes, messages stay."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("editorial", "0001_initial"), ("encyclopedia", "0002_site_settings_row")]
AFTER = [("editorial", "0004_feedback_has_a_message")]


@pytest.fixture
def back_to_the_latest_schema():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_helpful_answers_become_votes_and_old_feedback_is_not_emailed_again(back_to_the_latest_schema):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    Article = apps.get_model("encyclopedia", "Article")
    OldFeedback = apps.get_model("editorial", "Feedback")
    article = Article.objects.create(kind="symptom", title="Cramps", slug="cramps", summary="s", body="b")
    OldFeedback.objects.create(article=article, helpful="yes")
    OldFeedback.objects.create(article=article, helpful="no", message="Add night cramps")
    OldFeedback.objects.create(message="About the site")

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    apps = executor.loader.project_state(AFTER).apps
    Vote, Feedback = apps.get_model("editorial", "Vote"), apps.get_model("editorial", "Feedback")

    assert sorted(Vote.objects.values_list("helpful", flat=True)) == ["no", "yes"]
    assert sorted(Feedback.objects.values_list("message", flat=True)) == ["About the site", "Add night cramps"]
    linked = Feedback.objects.get(message="Add night cramps")
    assert Vote.objects.get(pk=linked.vote_id).helpful == "no"
    assert not Feedback.objects.filter(notified_at__isnull=True).exists()
