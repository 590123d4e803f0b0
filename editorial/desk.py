"""The editors' desk: what needs each person, counted and listed in a fixed number of queries whatever the
number of articles or feedback items.

Each list of articles is defined once, as a condition (`ARTICLE_LISTS`): the desk counts with it and the
article list's "on the desk" filter applies it, so a count and the list it links to hold the same items.
A person sees the sections their permissions open, each once, whatever their roles.
"""

import dataclasses
import datetime
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone

from encyclopedia.links import has_broken_link
from encyclopedia.models import Article, Image, SearchMiss, SiteSettings, Status

from .models import Feedback, Helpful, Vote, WorkflowEvent
from .workflow import CHANGE_PERMISSION, can_publish

Action = WorkflowEvent.Action
# Steps that make someone an article's author for their desk: writing it, not reviewing it.
AUTHORING = [Action.SAVE, Action.SUBMIT, Action.IMPORT, Action.RESTORE, Action.START_WORKING_COPY]
SCHEDULE_DAYS = 30
LIST_LENGTH = 10
SEARCH_MISS_DAYS = 30
SEARCH_MISS_TOP = 20
LEAST_USEFUL_DAYS = 30


# Who sees what.


def is_reviewer(user: AbstractBaseUser) -> bool:
    return can_publish(user)


def is_writer(user: AbstractBaseUser) -> bool:
    return user.has_perm(CHANGE_PERMISSION)


def is_triager(user: AbstractBaseUser) -> bool:
    return user.has_perm("editorial.change_feedback")


def may_see_feedback(user: AbstractBaseUser) -> bool:
    return user.has_perms(["editorial.view_feedback", "editorial.view_vote"])


def may_see_search_misses(user: AbstractBaseUser) -> bool:
    return user.has_perm("encyclopedia.view_searchmiss")


# The article lists. Each row of the admin's list is an article; a working copy's state shows on its live
# article (its events are recorded there too), so each condition looks at both.


def _either(**lookup) -> Q:
    """The article, or its working copy, matches. The copies are few: their live articles' ids are read first
    (on the live_article index), so the condition is two index lookups, never a scan of every article."""
    copies = Article.objects.filter(live_article__isnull=False, **lookup).values_list("live_article_id", flat=True)
    return Q(**lookup) | Q(pk__in=list(copies))


def _authored_by(user: AbstractBaseUser) -> Q:
    # Asked of the few articles the state leaves (workflow_event_author_idx), never of all a person's events.
    events = WorkflowEvent.objects.filter(article=OuterRef("pk"), by=user.pk, action__in=AUTHORING)
    return Q(Exists(events))


def waiting_for_review(user, now) -> Q:
    return _either(status=Status.IN_REVIEW)


def my_drafts(user, now) -> Q:
    return _either(status=Status.DRAFT) & _authored_by(user)


def sent_back_to_me(user, now) -> Q:
    return _either(status=Status.CHANGES_REQUESTED) & _authored_by(user)


def my_articles_in_review(user, now) -> Q:
    return _either(status=Status.IN_REVIEW) & _authored_by(user)


def scheduled_soon(user, now) -> Q:
    until = now + datetime.timedelta(days=SCHEDULE_DAYS)
    changes = Article.objects.filter(status=Status.SCHEDULED_CHANGE, published_at__lte=until)
    return Q(status=Status.PUBLISHED, published_at__gt=now, published_at__lte=until) | Q(
        pk__in=list(changes.values_list("live_article_id", flat=True))
    )


def with_working_copy(user, now) -> Q:
    return Q(pk__in=list(Article.objects.filter(live_article__isnull=False).values_list("live_article_id", flat=True)))


def with_broken_links(user, now) -> Q:
    """Published articles (scheduled ones too) with a [[link]] readers see as plain text."""
    return Q(status=Status.PUBLISHED) & has_broken_link()


def over_reading_age(user, now) -> Q:
    """Live articles (and drafts) whose text reads above the site's target reading age."""
    return Q(reading_age__gt=SiteSettings.reading_rules()[0])


@dataclasses.dataclass(frozen=True)
class ArticleList:
    label: str
    condition: Callable[[AbstractBaseUser, datetime.datetime], Q]


ARTICLE_LISTS = {
    "waiting_for_review": ArticleList("Waiting for review", waiting_for_review),
    "scheduled": ArticleList(f"Scheduled in the next {SCHEDULE_DAYS} days", scheduled_soon),
    "working_copies": ArticleList("With a working copy", with_working_copy),
    "my_drafts": ArticleList("My drafts", my_drafts),
    "sent_back": ArticleList("Sent back to me", sent_back_to_me),
    "my_in_review": ArticleList("Mine in review", my_articles_in_review),
    "broken_links": ArticleList("Published, with broken internal links", with_broken_links),
    "over_reading_age": ArticleList("Over the target reading age", over_reading_age),
}


def article_list(queryset: QuerySet, name: str, user, now=None) -> QuerySet:
    return queryset.filter(ARTICLE_LISTS[name].condition(user, now or timezone.now()))


# The desk.


def _submitted_at():
    """When the article (or its working copy: events are on the live article) was last submitted."""
    return Subquery(
        WorkflowEvent.objects.filter(article=OuterRef("pk"), action=Action.SUBMIT).order_by("-at").values("at")[:1]
    )


def _changes_requested():
    last = WorkflowEvent.objects.filter(article=OuterRef("pk"), action=Action.REQUEST_CHANGES).order_by("-at", "-pk")
    return {
        "request_comment": Subquery(last.values("comment")[:1]),
        "request_at": Subquery(last.values("at")[:1]),
        "request_by_first": Subquery(last.values("by__first_name")[:1]),
        "request_by_last": Subquery(last.values("by__last_name")[:1]),
        "request_by_username": Subquery(last.values("by__username")[:1]),
    }


# What the desk's lists show: never the texts (bodies, search data), which would make each row kilobytes.
SHOWN = ["title", "kind", "slug", "status", "updated_at", "published_at", "next_review_due", "reading_age"]
SHOWN_OF_COPY = [f"working_copy__{name}" for name in ("status", "updated_at", "published_at")]


def _rows(queryset: QuerySet, name: str, user, now, *ordering) -> list[Article]:
    rows = article_list(queryset, name, user, now).select_related("working_copy").only(*SHOWN, *SHOWN_OF_COPY)
    return list(rows.order_by(*ordering)[:LIST_LENGTH])


def reviewer_sections(user, now, today) -> dict:
    articles = Article.objects.articles()
    # One count per list, each answered by an index (a single aggregate with FILTERs would read every article).
    counts = {
        "waiting": article_list(articles, "waiting_for_review", user, now).count(),
        "scheduled": article_list(articles, "scheduled", user, now).count(),
        "working_copies": article_list(articles, "working_copies", user, now).count(),
        "overdue": articles.review_overdue(today).count(),
        "due_soon": articles.review_due_within(30, today).count(),
    }
    oldest_first = F("submitted_at").asc(nulls_first=True)
    waiting = _rows(
        articles.annotate(submitted_at=_submitted_at()), "waiting_for_review", user, now, oldest_first, "pk"
    )
    for article in waiting:
        article.waiting_days = (now - article.submitted_at).days if article.submitted_at else None
    when = Case(
        When(working_copy__status=Status.SCHEDULED_CHANGE, then=F("working_copy__published_at")),
        default=F("published_at"),
    )
    return {
        "counts": counts,
        "waiting": waiting,
        "overdue": list(articles.review_overdue(today).only(*SHOWN).order_by("next_review_due", "pk")[:LIST_LENGTH]),
        "due_soon": list(
            articles.review_due_within(30, today).only(*SHOWN).order_by("next_review_due", "pk")[:LIST_LENGTH]
        ),
        "scheduled": _rows(articles.annotate(goes_live_at=when), "scheduled", user, now, "goes_live_at", "pk"),
        "working_copies": _rows(articles, "working_copies", user, now, "-working_copy__updated_at", "pk"),
    }


WRITER_LISTS = ["my_drafts", "sent_back", "my_in_review", "broken_links", "over_reading_age"]


def writer_sections(user, now, today) -> dict:
    articles = Article.objects.articles()
    counts = {name: article_list(articles, name, user, now).count() for name in WRITER_LISTS}
    counts["licences_ending"] = Image.objects.licence_expiring(today, settings.IMAGE_LICENCE_WARNING_DAYS).count()
    return {
        "counts": counts,
        "target_reading_age": SiteSettings.reading_rules()[0],
        "licence_days": settings.IMAGE_LICENCE_WARNING_DAYS,
        "my_drafts": _rows(articles, "my_drafts", user, now, "-updated_at", "pk"),
        "sent_back": _rows(articles.annotate(**_changes_requested()), "sent_back", user, now, "-request_at", "pk"),
        "my_in_review": _rows(articles, "my_in_review", user, now, "sort_title", "pk"),
        "broken_links": _rows(articles, "broken_links", user, now, "sort_title", "pk"),
        "over_reading_age": _rows(articles, "over_reading_age", user, now, "-reading_age", "pk"),
    }


def least_useful(now, limit: int = 5) -> list[dict]:
    """The articles readers most often answered "not useful" about in the last 30 days (with at least
    FEEDBACK_LEAST_USEFUL_MIN_VOTES answers then): one grouped query, read from vote_recent_idx alone."""
    since = now - datetime.timedelta(days=LEAST_USEFUL_DAYS)
    rows = (
        Vote.objects.filter(created_at__gte=since)
        .values("article")
        .annotate(answers=Count("*"), not_useful=Count("helpful", filter=Q(helpful=Helpful.NO)))
        .filter(answers__gte=settings.FEEDBACK_LEAST_USEFUL_MIN_VOTES)
        .order_by("-not_useful", "article")[:limit]
    )
    rows = list(rows)
    titles = dict(Article.objects.filter(pk__in=[row["article"] for row in rows]).values_list("pk", "title"))
    return [{**row, "title": titles.get(row["article"], "")} for row in rows]


def search_misses(now) -> dict:
    # From the start of a day, so that the list it links to (?last_searched_at__gte=) shows the same rows.
    since = timezone.localtime(now - datetime.timedelta(days=SEARCH_MISS_DAYS)).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    recent = SearchMiss.objects.filter(last_searched_at__gte=since)
    return {"since": since, "count": recent.count(), "top": list(recent.order_by("-count", "query")[:SEARCH_MISS_TOP])}


def triage_sections(user) -> dict:
    new = Feedback.objects.filter(status=Feedback.Status.NEW)
    # New items per category, from feedback_status_category_idx alone; their sum is the new count.
    per_category = dict(new.values_list("category").annotate(n=Count("*")).order_by())
    by_category = [
        {"value": category.value, "label": category.label, "count": per_category.get(category.value, 0)}
        for category in Feedback.Category
    ]
    by_category.append({"value": "", "label": "After “Is this page useful?”", "count": per_category.get("", 0)})
    counts = {
        "new": sum(per_category.values()),
        # feedback_assignee_status_idx
        "assigned": Feedback.objects.filter(assignee=user.pk).exclude(status=Feedback.Status.SPAM).count(),
    }
    oldest = new.select_related("article").only("message", "created_at", "article__title", "article__kind")
    return {
        "counts": counts,
        "by_category": by_category,
        "oldest": list(oldest.order_by("created_at", "pk")[:LIST_LENGTH]),
    }


def desk(user: AbstractBaseUser) -> dict:
    """Everything the signed-in person's desk shows: None for the sections their permissions do not open."""
    now = timezone.now()
    today = timezone.localdate(now)
    writer = is_writer(user)
    return {
        "now": now,
        "reviewer": reviewer_sections(user, now, today) if is_reviewer(user) else None,
        "writer": writer_sections(user, now, today) if writer else None,
        "least_useful": least_useful(now) if writer and may_see_feedback(user) else None,
        "search_misses": search_misses(now) if writer and may_see_search_misses(user) else None,
        "triage": triage_sections(user) if is_triager(user) else None,
    }
