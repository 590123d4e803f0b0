"""Feedback triage that scales: internal notes as a dated thread (the old single note becomes its first
entry), replies to readers, the outbox of emails and each person's choice of them; and roles that fit the
work: Editors and Medical reviewers read feedback about articles and the vote figures (triage stays with the
Feedback triager), and read and clear the searches that found nothing."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

import core.text

READING = [
    ("editorial", "view_feedback"), ("editorial", "view_vote"),
    ("encyclopedia", "view_searchmiss"), ("encyclopedia", "delete_searchmiss"),
]  # fmt: skip


def notes_into_threads(apps, schema_editor):
    """Each old note becomes the thread's first note, dated when the feedback came, author unknown."""
    Feedback = apps.get_model("editorial", "Feedback")
    FeedbackNote = apps.get_model("editorial", "FeedbackNote")
    old = Feedback.objects.exclude(editor_note="").values_list("pk", "created_at", "editor_note")
    FeedbackNote.objects.bulk_create(
        [FeedbackNote(feedback_id=pk, created_at=created_at, body=note) for pk, created_at, note in old.iterator()],
        batch_size=1000,
    )


def threads_into_notes(apps, schema_editor):
    Feedback = apps.get_model("editorial", "Feedback")
    for note in apps.get_model("editorial", "FeedbackNote").objects.order_by("created_at", "pk").iterator():
        feedback = Feedback.objects.get(pk=note.feedback_id)
        feedback.editor_note = f"{feedback.editor_note}\n\n{note.body}".strip()
        feedback.save(update_fields=["editor_note"])


def grant_reading(apps, schema_editor):
    for label in ("editorial", "encyclopedia"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    permissions = [Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in READING]
    for group in apps.get_model("auth", "Group").objects.filter(name__in=["Editor", "Medical reviewer"]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0013_plain_words"),
        ("encyclopedia", "0017_edge_purge"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="FeedbackNote",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="written")),
                ("body", core.text.TextField(verbose_name="note")),
            ],
            options={
                "ordering": ["created_at", "pk"],
                "get_latest_by": "created_at",
            },
        ),
        migrations.CreateModel(
            name="FeedbackReply",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="written")),
                ("body", core.text.TextField(verbose_name="reply")),
            ],
            options={
                "verbose_name_plural": "replies",
                "ordering": ["created_at", "pk"],
                "get_latest_by": "created_at",
            },
        ),
        migrations.CreateModel(
            name="NotificationPreference",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "submitted",
                    models.BooleanField(
                        default=True, verbose_name="An article is submitted for review (to medical reviewers)"
                    ),
                ),
                (
                    "changes_requested",
                    models.BooleanField(default=True, verbose_name="Changes are requested on my article"),
                ),
                ("approved", models.BooleanField(default=True, verbose_name="My article is approved and published")),
                ("scheduled", models.BooleanField(default=True, verbose_name="My article is approved and scheduled")),
                ("published", models.BooleanField(default=True, verbose_name="My scheduled article is published")),
                (
                    "digest",
                    models.BooleanField(
                        default=True, verbose_name="Daily digest: reviews falling due and feedback assigned to me"
                    ),
                ),
            ],
            options={
                "verbose_name": "my email notifications",
                "verbose_name_plural": "my email notifications",
            },
        ),
        migrations.CreateModel(
            name="OutboxMessage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("recipient", models.EmailField(max_length=254)),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("submitted", "An article is submitted for review (to medical reviewers)"),
                            ("changes_requested", "Changes are requested on my article"),
                            ("approved", "My article is approved and published"),
                            ("scheduled", "My article is approved and scheduled"),
                            ("published", "My scheduled article is published"),
                            ("digest", "Daily digest: reviews falling due and feedback assigned to me"),
                            ("reply", "Reply to a reader"),
                        ],
                        max_length=30,
                    ),
                ),
                ("subject", models.CharField(max_length=200)),
                ("body", models.TextField()),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="queued")),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                ("attempts", models.PositiveSmallIntegerField(default=0)),
                ("last_error", models.CharField(blank=True, max_length=300)),
            ],
            options={
                "ordering": ["-created_at", "-pk"],
                "get_latest_by": "created_at",
            },
        ),
        migrations.AddIndex(
            model_name="feedback",
            index=models.Index(
                condition=models.Q(("status", "spam"), _negated=True),
                fields=["-created_at", "-id"],
                name="feedback_not_spam_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="feedback",
            index=models.Index(fields=["assignee", "-created_at"], name="feedback_assignee_idx"),
        ),
        migrations.AddField(
            model_name="feedbacknote",
            name="author",
            field=models.ForeignKey(
                blank=True,
                help_text="Empty for a note written before notes had authors, or by a removed account.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="feedbacknote",
            name="feedback",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="notes", to="editorial.feedback"
            ),
        ),
        migrations.AddField(
            model_name="feedbackreply",
            name="author",
            field=models.ForeignKey(
                null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddField(
            model_name="feedbackreply",
            name="feedback",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="replies", to="editorial.feedback"
            ),
        ),
        migrations.AddField(
            model_name="notificationpreference",
            name="user",
            field=models.OneToOneField(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notification_preference",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="outboxmessage",
            name="user",
            field=models.ForeignKey(
                blank=True,
                help_text="The staff member it is for; empty for a reply to a reader.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddConstraint(
            model_name="feedbacknote",
            constraint=models.CheckConstraint(
                condition=models.Q(("body", ""), _negated=True), name="feedback_note_has_text"
            ),
        ),
        migrations.AddConstraint(
            model_name="feedbackreply",
            constraint=models.CheckConstraint(
                condition=models.Q(("body", ""), _negated=True), name="feedback_reply_has_text"
            ),
        ),
        migrations.AddIndex(
            model_name="outboxmessage",
            index=models.Index(
                condition=models.Q(("sent_at__isnull", True)), fields=["created_at"], name="outbox_pending_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="outboxmessage",
            index=models.Index(fields=["user", "kind", "-created_at"], name="outbox_user_kind_idx"),
        ),
        migrations.AddIndex(
            model_name="outboxmessage",
            index=models.Index(fields=["created_at"], name="outbox_created_idx"),
        ),
        migrations.RunPython(notes_into_threads, threads_into_notes),
        migrations.RemoveField(model_name="feedback", name="editor_note"),
        migrations.RunPython(grant_reading, migrations.RunPython.noop),
    ]
