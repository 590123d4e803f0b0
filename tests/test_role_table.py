"""The README's role table ("Editorial workflow") is what the site does: each cell is worked out here from the
roles' permissions and the very functions that decide (the ModelAdmins' permission methods, the notification
rules), for a persona of each role. A row added to the README without a rule here fails, and so does a rule
whose row is gone."""

import re
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.test import RequestFactory

from editorial import notifications, workflow
from editorial.admin.feedback import FeedbackNoteInline, may_see_feedback_figures
from editorial.models import Feedback, NotificationPreference, PlainWord
from editorial.views import MARKDOWN_WRITERS
from encyclopedia.models import Image, LayTerm, SearchMiss, SitePage, SiteSettings

# Pillow, files, permissions and headers: nothing here differs between database engines.
pytestmark = [pytest.mark.django_db, pytest.mark.engine_independent]

README = Path(__file__).resolve().parent.parent / "README.md"
HEADER = "| | Editor | Medical reviewer | Feedback triager | superuser |"
COLUMNS = ("editor", "reviewer", "triager", "superuser")


def readme_table() -> dict[str, tuple[str, ...]]:
    lines = README.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == HEADER)
    rows = {}
    for line in lines[start + 2 :]:
        if not line.strip().startswith("|"):
            break
        label, *cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        rows[label] = tuple(cells)
    return rows


def request_of(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def admin_of(model):
    return admin.site._registry[model]


def yes(allowed: bool) -> str:
    return "yes" if allowed else "no"


def feedback_page(user, about_article: bool) -> bool:
    """Can `user` open a feedback item's page (the item is in their list's queryset)?"""
    feedback_admin, request = admin_of(Feedback), request_of(user)
    item = Feedback.objects.filter(article__isnull=not about_article).first()
    return (
        feedback_admin.has_view_permission(request, item)
        and feedback_admin.get_queryset(request).filter(pk=item.pk).exists()
    )


def sees_contact(user) -> bool:
    fieldsets = admin_of(Feedback).get_fieldsets(request_of(user), Feedback.objects.first())
    return any(name == "Contact" for name, _ in fieldsets)


def keeps_list(model, user) -> bool:
    """May read, add, change and delete the rows of a list editors keep."""
    model_admin, request = admin_of(model), request_of(user)
    return all(
        check(request)
        for check in (model_admin.has_view_permission, model_admin.has_add_permission,
                      model_admin.has_change_permission, model_admin.has_delete_permission)
    )  # fmt: skip


RULES = {
    'admin home (the desk), "How the encyclopedia is doing", own password, own email notifications': lambda user: yes(
        admin.site.has_permission(request_of(user))
        and admin_of(NotificationPreference).has_change_permission(request_of(user), NotificationPreference(user=user))
    ),
    "read feedback about articles: list, page, history, CSV export (without the reader's name and address)": (
        lambda user: yes(feedback_page(user, about_article=True))
    ),
    "read feedback about the site in general, and the reader's name and address": lambda user: yes(
        feedback_page(user, about_article=False) and sees_contact(user)
    ),
    "triage feedback: status, assignee, internal notes, replies to the reader": lambda user: yes(
        admin_of(Feedback).has_change_permission(request_of(user))
        and FeedbackNoteInline(Feedback, admin.site).has_add_permission(request_of(user))
    ),
    '"Least useful articles", and the feedback and "useful" columns and fields of the article admin': (
        lambda user: yes(may_see_feedback_figures(user))
    ),
    "feedback: delete": lambda user: yes(admin_of(Feedback).has_delete_permission(request_of(user))),
    "plain words (the reading check's list)": lambda user: yes(keeps_list(PlainWord, user)),
    "everyday words (the lay terms search and the A–Z use)": lambda user: yes(keeps_list(LayTerm, user)),
    "media library: list, upload, describe, skin-tone coverage": lambda user: yes(
        admin_of(Image).has_view_permission(request_of(user))
        and admin_of(Image).has_add_permission(request_of(user))
        and admin_of(Image).has_change_permission(request_of(user))
    ),
    "media library: delete an image no article uses": lambda user: yes(
        admin_of(Image).has_delete_permission(request_of(user))
    ),
    "searches that found nothing: list, delete (rows are never added or changed by hand)": lambda user: yes(
        admin_of(SearchMiss).has_view_permission(request_of(user))
        and admin_of(SearchMiss).has_delete_permission(request_of(user))
    ),
    "site settings (change), site pages": lambda user: yes(
        admin_of(SiteSettings).has_change_permission(request_of(user))
        and admin_of(SitePage).has_view_permission(request_of(user))
    ),
    "users, roles (groups), axes (sign-in pauses and failures)": lambda user: yes(
        all(admin_of(model).has_view_permission(request_of(user)) for model in (User, Group, AccessAttempt))
    ),
    "Markdown live preview (needs the permission to add or change an article, a site page or the site settings)": (
        lambda user: yes(any(user.has_perm(permission) for permission in MARKDOWN_WRITERS))
    ),
    '"View on site" of an object (needs the permission to view or change its kind)': lambda user: (
        "yes" if user.is_superuser else "articles" if user.has_perm("encyclopedia.view_article") else "no"
    ),
    "emailed when an article is submitted for review": lambda user: yes(
        user in notifications.reviewers()
        and notifications.may_receive(user, link_permission=notifications.ARTICLE_LINK_PERMISSION)
    ),
    "emailed as an article's author: changes requested, approved, scheduled, published": lambda user: yes(
        user.has_perm(workflow.CHANGE_PERMISSION)  # may submit, so may be an author
        and notifications.may_receive(user, link_permission=notifications.ARTICLE_LINK_PERMISSION)
    ),
    "daily digest: medical reviews they are named on, falling due": lambda user: yes(
        workflow.can_publish(user)  # may record a review, so may be named on one
        and notifications.may_receive(user, link_permission=notifications.ARTICLE_LINK_PERMISSION)
    ),
    "daily digest: open feedback assigned to them": lambda user: yes(
        notifications.may_receive(user, link_permission=notifications.FEEDBACK_LINK_PERMISSION)
    ),
}


def test_the_readme_role_table_has_a_rule_for_each_row_and_a_row_for_each_rule():
    assert set(readme_table()) == set(RULES)


def test_the_readme_role_table_is_what_each_role_may_do(writer, reviewer, triager, superuser, leg_cramps):
    Feedback.objects.create(article=leg_cramps, message="About an article", email="a@example.org")
    Feedback.objects.create(message="About the site", email="b@example.org")
    people = dict(zip(COLUMNS, (writer, reviewer, triager, superuser), strict=True))
    wrong = []
    for label, cells in readme_table().items():
        for column, cell in zip(COLUMNS, cells, strict=True):
            user = User.objects.get(pk=people[column].pk)  # afresh: no permission cache between rules
            actual = RULES[label](user)
            if actual != cell:
                wrong.append(f"{label!r} for {column}: README says {cell!r}, the site says {actual!r}")
    assert not wrong, "\n".join(wrong)


def test_the_table_is_found_and_complete():
    table = readme_table()
    assert len(table) == len(RULES) and all(len(cells) == len(COLUMNS) for cells in table.values())
    assert all(re.fullmatch(r"yes|no|articles", cell) for cells in table.values() for cell in cells)
