"""Demo work for the editors' desk, after `load_demo_content` (`make run` calls both): a person per role,
drafts, an article sent back with the reviewer's comment, one in review, a scheduled one, a working copy,
reviews overdue and falling due, reader feedback and votes over twelve weeks, searches that found nothing.

Development only (refused unless DEBUG is on: the demo people have a published password). Idempotent: the
articles, people and feedback are made once; review dates the demo loader set back are recorded again.
"""

import datetime
import random

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from encyclopedia.models import Article, Kind, SearchMiss, Status, next_review_due

from ... import workflow
from ...models import Feedback, Vote

PASSWORD = "demo-desk-password"
PEOPLE = [
    ("demo-editor", "Emma", "Editor"),
    ("demo-reviewer", "Rafael", "Medical reviewer"),
    ("demo-triager", "Tess", "Feedback triager"),
]
DRAFTS = [
    # (slug, title, what happens to it)
    ("hiccups", "Hiccups", "draft"),
    ("heartburn", "Heartburn", "sent_back"),
    ("insomnia", "Insomnia", "in_review"),
    ("sunburn", "Sunburn", "scheduled"),
]
SENT_BACK_COMMENT = (
    "Please cite the current guideline on indigestion and say when night-time symptoms need a doctor "
    "(the “When to seek medical attention” section is missing)."
)
# Days from today each article's next medical review falls due: two overdue, three within 30 days.
REVIEWS_DUE = {
    "osteoarthritis": -40, "migraine": -12, "asthma": 9, "cough": 18, "fever": 27, "headache": 45,
    "dizziness": 80, "fatigue": 130, "nausea-and-vomiting": 200, "blood-test": 290,
}  # fmt: skip
SEARCH_MISSES = [
    ("tinnitus", 41), ("restless legs", 23), ("hiccups", 19), ("heartburn at night", 12), ("shingles", 9),
    ("eczema", 8), ("gout", 6), ("vertigo", 5), ("sore throat", 4), ("nosebleed", 3), ("sciatica", 2),
]  # fmt: skip
MESSAGES = [
    "The dosage in the treatment section seems out of date.", "Could you add something about children?",
    "Is this safe during pregnancy?", "A link in the sources no longer works.", "Thank you, very clear.",
    "The summary says three weeks, the text says two.", "Please add a section on diet.",
    "What should I do if it happens at night?", "Typo in the second paragraph.", "Very helpful page!",
]  # fmt: skip


class Command(BaseCommand):
    help = "Add demo work for the editors' desk (development only; running it again adds nothing new)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Demo people have a published password: this runs only with DEBUG on.")
        with transaction.atomic():
            editor, reviewer, triager = self.people()
            made = self.articles(editor, reviewer)
            reviewed = self.reviews_due(reviewer)
            feedback = self.feedback(triager)
        self.stdout.write(
            f"Desk demo: {made} article(s) made, {reviewed} review date(s) set, {feedback} feedback item(s) added. "
            f"Sign in as {', '.join(name for name, _, _ in PEOPLE)} with the password “{PASSWORD}”."
        )

    def people(self):
        User = get_user_model()
        people = []
        for username, first_name, role in PEOPLE:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"first_name": first_name, "last_name": "Demo", "email": f"{username}@example.org",
                          "is_staff": True},
            )  # fmt: skip
            if created:
                user.set_password(PASSWORD)
                user.save()
                user.groups.add(Group.objects.get(name=role))
            people.append(user)
        return people

    def articles(self, editor, reviewer) -> int:
        made = 0
        now = timezone.now()
        for slug, title, fate in DRAFTS:
            if Article.objects.filter(kind=Kind.CONDITION, slug=slug).exists():
                continue
            made += 1
            with reversion.create_revision():
                article = Article.objects.create(
                    kind=Kind.CONDITION, slug=slug, title=title, status=Status.DRAFT,
                    summary=f"What {title.lower()} is, why it happens and what helps.",
                    body="## Causes\n\nA first draft.\n\n## Treatment and self-care\n\nTo be written.",
                    published_at=now + datetime.timedelta(days=6, hours=3) if fate == "scheduled" else None,
                )  # fmt: skip
                reversion.set_user(editor)
                reversion.set_comment("Demo draft")
            workflow.record_event(article=article, by=editor, action=workflow.Action.SAVE, from_status="")
            if fate == "draft":
                continue
            workflow.article_submit_for_review(article=article, by=editor)
            if fate == "sent_back":
                workflow.article_request_changes(article=article, by=reviewer, comment=SENT_BACK_COMMENT)
            elif fate == "scheduled":
                workflow.article_approve_and_publish(
                    article=article, by=reviewer, comment="Checked; goes out next week."
                )
        live = Article.objects.published().filter(kind=Kind.SYMPTOM, slug="leg-cramps").first()
        if live is not None and not Article.objects.filter(live_article=live).exists():
            copy = workflow.article_start_working_copy(article=live, by=editor)
            workflow.article_submit_for_review(article=copy, by=editor, comment="Adds the new advice on stretching.")
            made += 1
        return made

    def reviews_due(self, reviewer) -> int:
        """Record reviews dated so that the next one falls due on the chosen day (36 months on, by default)."""
        today = timezone.localdate()
        recorded = 0
        months = settings.MEDICAL_REVIEW_INTERVAL_MONTHS
        for slug, days in REVIEWS_DUE.items():
            target = today + datetime.timedelta(days=days)
            years, month = divmod(target.month - 1 - months, 12)
            reviewed_on = target.replace(year=target.year + years, month=month + 1, day=min(target.day, 28))
            article = Article.objects.published().filter(slug=slug).first()
            if article is None or article.next_review_due == next_review_due(reviewed_on):
                continue
            workflow.article_record_review(article=article, by=reviewer, reviewed_on=reviewed_on)
            recorded += 1
        return recorded

    def feedback(self, triager) -> int:
        if SearchMiss.objects.filter(query=SEARCH_MISSES[0][0]).exists():
            return 0  # made on an earlier run
        rng = random.Random(17)
        now = timezone.now()
        articles = list(Article.objects.published().order_by("pk"))
        if not articles:
            return 0
        least_useful = next((a for a in articles if a.slug == "dizziness"), articles[0])
        votes = []
        for article in [least_useful] * 14 + rng.sample(articles, min(len(articles), 20)) * 8:
            no_chance = 0.75 if article is least_useful else 0.2
            votes.append(Vote(article=article, helpful="no" if rng.random() < no_chance else "yes"))
        votes = Vote.objects.bulk_create(votes)
        for vote in votes:  # spread over twelve weeks (created_at is set on insert)
            vote.created_at = now - datetime.timedelta(days=rng.uniform(0, 83))
        Vote.objects.bulk_update(votes, ["created_at"])
        items = []
        for n in range(70):
            age = datetime.timedelta(days=rng.uniform(0, 83) if n > 6 else rng.uniform(0, 3))
            status = Feedback.Status.NEW if n <= 12 else rng.choice(
                [Feedback.Status.RESOLVED, Feedback.Status.RESOLVED, Feedback.Status.IN_PROGRESS, Feedback.Status.SPAM]
            )  # fmt: skip
            items.append(
                Feedback(
                    article=rng.choice(articles) if n % 4 else None,
                    category=rng.choice(list(Feedback.Category)), message=rng.choice(MESSAGES),
                    status=status, assignee=triager if status == Feedback.Status.IN_PROGRESS or n in (3, 5) else None,
                    spam_reason="honeypot" if status == Feedback.Status.SPAM else "",
                    resolved_at=now - age / 2 if status == Feedback.Status.RESOLVED else None,
                    notified_at=now - age,
                )
            )  # fmt: skip
            items[-1]._age = age
        created = Feedback.objects.bulk_create(items)
        for item, made in zip(items, created, strict=True):
            made.created_at = now - item._age
        Feedback.objects.bulk_update(created, ["created_at"])
        SearchMiss.objects.bulk_create(
            SearchMiss(
                query=query, count=count,
                first_searched_at=now - datetime.timedelta(days=rng.uniform(1, 83)),
                last_searched_at=now - datetime.timedelta(days=rng.uniform(0, 1)),
            )
            for query, count in SEARCH_MISSES
        )  # fmt: skip
        return len(created)
