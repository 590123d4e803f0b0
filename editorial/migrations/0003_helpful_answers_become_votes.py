"""Answers to "Was this page helpful?" stored as feedback become votes; a message sent with
one stays feedback, linked to its vote. Feedback received before notifications existed is
marked as notified, so that send_feedback_notifications does not email the whole history."""

from django.db import migrations
from django.db.models import F


def forwards(apps, schema_editor):
    Feedback = apps.get_model("editorial", "Feedback")
    Vote = apps.get_model("editorial", "Vote")
    for feedback in Feedback.objects.exclude(helpful="").iterator():
        if feedback.article_id is None:
            continue
        vote = Vote.objects.create(article_id=feedback.article_id, helpful=feedback.helpful)
        Vote.objects.filter(pk=vote.pk).update(created_at=feedback.created_at)
        if feedback.message:
            Feedback.objects.filter(pk=feedback.pk).update(vote=vote)
    Feedback.objects.filter(message="").delete()  # the answer now lives on as a vote
    Feedback.objects.filter(notified_at__isnull=True).update(notified_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("editorial", "0002_feedback_votes_triage_notifications")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
