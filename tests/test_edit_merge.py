"""Edit conflicts merged three ways: the version an editor started from (base), the colleague's saved
version (theirs) and the editor's form (mine). A change made on one side is taken, a part changed on both
sides waits for a choice, and nothing is silently reverted."""

import datetime
from html.parser import HTMLParser

import pytest
import reversion
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from editorial.models import WorkflowEvent
from editorial.revisions import Outcome, merge_three_way
from encyclopedia.models import FAQ, Article, Status

from .conftest import client_for, make_article

pytestmark = pytest.mark.django_db

YESTERDAY = timezone.now() - datetime.timedelta(days=1)  # so that a save's new "Last updated" differs


# merge_three_way, on its own.

BASE = {"title": "Cramps", "summary": "Old summary.", "body": "Old body.", "faqs": ((1, "Q?", "A."),)}


def test_a_part_changed_by_one_side_only_takes_that_side():
    theirs = {**BASE, "summary": "Their summary."}
    mine = {**BASE, "body": "My body."}
    merged = merge_three_way(BASE, theirs, mine)
    assert (merged["summary"].outcome, merged["summary"].value) == (Outcome.THEIRS, "Their summary.")
    assert (merged["body"].outcome, merged["body"].value) == (Outcome.MINE, "My body.")
    assert (merged["title"].outcome, merged["title"].value) == (Outcome.UNCHANGED, "Cramps")
    assert not any(part.needs_choice for part in merged.values())


def test_the_same_change_on_both_sides_is_no_conflict():
    same = {**BASE, "body": "Both wrote this."}
    merged = merge_three_way(BASE, same, dict(same))
    assert (merged["body"].outcome, merged["body"].value) == (Outcome.SAME, "Both wrote this.")


def test_different_changes_on_both_sides_need_a_choice():
    merged = merge_three_way(BASE, {**BASE, "body": "Theirs."}, {**BASE, "body": "Mine."})
    assert merged["body"].outcome == Outcome.CONFLICT and merged["body"].needs_choice
    assert merged["body"].value is None
    assert (merged["body"].base, merged["body"].theirs, merged["body"].mine) == ("Old body.", "Theirs.", "Mine.")


def test_an_inline_list_is_one_part():
    added_by_them = {**BASE, "faqs": ((1, "Q?", "A."), (2, "New?", "Yes."))}
    assert merge_three_way(BASE, added_by_them, dict(BASE))["faqs"].value == added_by_them["faqs"]
    reworded_by_me = {**BASE, "faqs": ((1, "Q?", "Better answer."),)}
    assert merge_three_way(BASE, added_by_them, reworded_by_me)["faqs"].outcome == Outcome.CONFLICT


def test_without_a_base_every_difference_needs_a_choice_and_mine_never_wins_by_default():
    merged = merge_three_way(None, {**BASE, "summary": "Theirs."}, dict(BASE))
    assert merged["summary"].outcome == Outcome.CONFLICT and not merged["summary"].base_known
    assert merged["title"].outcome == Outcome.UNCHANGED
    partial = merge_three_way({"title": "Cramps"}, {**BASE, "body": "Theirs."}, dict(BASE))
    assert partial["body"].outcome == Outcome.CONFLICT


def test_only_parts_both_sides_have_are_merged():
    assert set(merge_three_way(BASE, BASE, {"title": "Cramps"})) == {"title"}


# Through the admin, as two people: Bob (Editor) and Carol (Medical reviewer).


class FormFields(HTMLParser):
    """The values a browser would submit from the article form (no button pressed)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.data: dict[str, list[str]] = {}
        self.in_form = False
        self.textarea = self.select = None
        self.select_multiple = False

    def add(self, name, value):
        self.data.setdefault(name, []).append(value)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = attrs.get("id") == "article_form"
        if not self.in_form or "name" not in attrs and tag != "option":
            return
        if tag == "input" and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.add(attrs["name"], attrs.get("value", "on" if attrs.get("type") == "checkbox" else ""))
        elif tag == "textarea":
            self.textarea, self.text = attrs["name"], ""
        elif tag == "select":
            self.select = attrs["name"]
            self.data.setdefault(self.select, [])
        elif tag == "option" and self.select and "selected" in attrs:
            self.add(self.select, attrs.get("value", ""))

    def handle_data(self, data):
        if self.textarea:
            self.text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "textarea" and self.textarea:
            self.add(self.textarea, self.text.removeprefix("\n"))
            self.textarea = None
        elif tag == "select":
            self.select = None


def form_of(page: str) -> dict:
    parser = FormFields()
    parser.feed(page)
    return {name: values if name == "related" or len(values) > 1 else values[0] for name, values in parser.data.items()}


def change_url(article: Article) -> str:
    return reverse("admin:encyclopedia_article_change", args=[article.pk])


def open_form(client, article: Article) -> dict:
    response = client.get(change_url(article))
    assert response.status_code == 200
    return form_of(response.content.decode())


def save(client, article: Article, data: dict):
    return client.post(change_url(article), data)


@pytest.fixture
def draft(db) -> Article:
    """A draft with a stored revision, as every save through the admin leaves."""
    with reversion.create_revision():
        article = make_article(
            status=Status.DRAFT, summary="The first summary.", body="## Causes\n\nThe first body.",
            faqs=(("Is it serious?", "Rarely."),), updated_at=YESTERDAY,
        )  # fmt: skip
    return article


def test_the_form_carries_the_revision_it_shows(writer, draft):
    fields = open_form(client_for(writer), draft)
    assert fields["base_version"] == str(draft.version)
    assert fields["base_revision"] == str(Version.objects.get_for_object(draft).get().pk)


def test_changes_to_different_parts_are_merged_and_nothing_is_reverted(writer, reviewer, draft):
    bob, carol = client_for(writer), client_for(reviewer)
    bobs_form, carols_form = open_form(bob, draft), open_form(carol, draft)

    assert save(carol, draft, {**carols_form, "summary": "Carol's summary."}).status_code == 302
    response = save(bob, draft, {**bobs_form, "body": "## Causes\n\nBob's body."})

    assert response.status_code == 200
    page = response.content.decode()
    assert "This article was changed by carol" in page
    assert "Summary:\n      changed by them only" in page and "Body:\n      changed by you only" in page
    draft.refresh_from_db()
    assert (draft.summary, draft.body) == ("Carol's summary.", "## Causes\n\nThe first body.")
    again = form_of(page)
    assert (again["summary"], again["body"]) == ("Carol's summary.", "## Causes\n\nBob's body.")

    assert save(bob, draft, again).status_code == 302
    draft.refresh_from_db()
    assert (draft.summary, draft.body) == ("Carol's summary.", "## Causes\n\nBob's body.")
    assert list(draft.faqs.values_list("question", flat=True)) == ["Is it serious?"]


@pytest.fixture
def both_changed_the_body(writer, reviewer, draft):
    bob, carol = client_for(writer), client_for(reviewer)
    bobs_form, carols_form = open_form(bob, draft), open_form(carol, draft)
    assert save(carol, draft, {**carols_form, "body": "Carol's body."}).status_code == 302
    response = save(bob, draft, {**bobs_form, "body": "Bob's body.", "title": "Bob's title"})
    assert response.status_code == 200
    return bob, response.content.decode()


def test_a_part_changed_on_both_sides_shows_the_three_versions_and_asks_for_a_choice(both_changed_the_body, draft):
    _, page = both_changed_the_body
    assert "Both of you changed: Body." in page
    assert "Body:\n      changed by both of you, choose one" in page
    for version in ("The first body.", "Carol&#x27;s body.", "Bob&#x27;s body."):
        assert version in page
    assert '<label for="merge-body-theirs">Keep theirs</label>' in page
    assert form_of(page)["body"] == "Bob's body."  # the editor's text is kept in the form
    assert "merge-body" not in form_of(page)  # nothing is chosen for them


def test_saving_again_without_a_choice_is_refused(both_changed_the_body, draft):
    bob, page = both_changed_the_body
    response = save(bob, draft, form_of(page))
    assert response.status_code == 200
    assert "Choose which version to keep for: Body." in response.content.decode()
    draft.refresh_from_db()
    assert (draft.title, draft.body) != ("Bob's title", "Bob's body.")
    assert draft.body == "Carol's body."


def test_keep_theirs_stores_their_text_with_my_other_changes(both_changed_the_body, draft):
    bob, page = both_changed_the_body
    assert save(bob, draft, {**form_of(page), "merge-body": "theirs"}).status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.body) == ("Bob's title", "Carol's body.")


def test_keep_mine_stores_my_text_as_edited_in_the_form(both_changed_the_body, draft):
    bob, page = both_changed_the_body
    merged = "Carol's body, then Bob's."
    assert save(bob, draft, {**form_of(page), "merge-body": "mine", "body": merged}).status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.body) == ("Bob's title", merged)


def test_faqs_changed_by_the_colleague_only_survive(writer, reviewer, draft):
    bob, carol = client_for(writer), client_for(reviewer)
    bobs_form, carols_form = open_form(bob, draft), open_form(carol, draft)
    carols_form.update({"faqs-1-question": "Can I prevent it?", "faqs-1-answer": "Often.", "faqs-1-position": "2"})
    assert save(carol, draft, carols_form).status_code == 302
    assert draft.faqs.count() == 2

    response = save(bob, draft, {**bobs_form, "summary": "Bob's summary."})
    assert response.status_code == 200
    again = form_of(response.content.decode())
    assert again["faqs-1-question"] == "Can I prevent it?"  # the inline now shows their list
    assert save(bob, draft, again).status_code == 302
    draft.refresh_from_db()
    assert draft.summary == "Bob's summary."
    assert list(draft.faqs.values_list("question", flat=True)) == ["Is it serious?", "Can I prevent it?"]


def test_faqs_changed_on_both_sides_wait_for_a_choice(writer, reviewer, draft):
    bob, carol = client_for(writer), client_for(reviewer)
    bobs_form, carols_form = open_form(bob, draft), open_form(carol, draft)
    assert save(carol, draft, {**carols_form, "faqs-0-answer": "Carol's answer."}).status_code == 302
    response = save(bob, draft, {**bobs_form, "faqs-0-answer": "Bob's answer."})
    page = response.content.decode()
    assert "Both of you changed: FAQs." in page
    assert save(bob, draft, form_of(page)).status_code == 200  # no choice yet
    assert save(bob, draft, {**form_of(page), "merge-faqs": "theirs"}).status_code == 302
    assert list(FAQ.objects.filter(article=draft).values_list("answer", flat=True)) == ["Carol's answer."]


def test_a_revision_of_another_article_is_not_used_as_the_base(writer, reviewer, draft):
    with reversion.create_revision():
        other = make_article(status=Status.DRAFT, summary="Carol's summary.", updated_at=YESTERDAY)
    forged = Version.objects.get_for_object(other).get().pk
    bob, carol = client_for(writer), client_for(reviewer)
    bobs_form, carols_form = open_form(bob, draft), open_form(carol, draft)
    assert save(carol, draft, {**carols_form, "summary": "Carol's summary."}).status_code == 302

    # With the other article's revision as base, Carol's summary would look unchanged and Bob's old one would win.
    response = save(bob, draft, {**bobs_form, "base_revision": str(forged), "body": "Bob's body."})
    page = response.content.decode()
    assert "Summary:\n      theirs and yours differ, choose one" in page
    assert "Not known: this article has no stored revision" in page
    again = form_of(page)
    assert save(bob, draft, again).status_code == 200  # a choice is needed
    assert save(bob, draft, {**again, "merge-summary": "theirs", "merge-body": "mine"}).status_code == 302
    draft.refresh_from_db()
    assert (draft.summary, draft.body) == ("Carol's summary.", "Bob's body.")


def test_an_article_without_any_revision_falls_back_to_choices(writer, reviewer):
    article = make_article(status=Status.DRAFT, updated_at=YESTERDAY)  # as an import leaves it
    bob, carol = client_for(writer), client_for(reviewer)
    bobs_form, carols_form = open_form(bob, article), open_form(carol, article)
    assert bobs_form["base_revision"] == ""
    assert save(carol, article, {**carols_form, "title": "Carol's title"}).status_code == 302
    page = save(bob, article, {**bobs_form, "summary": "Bob's summary."}).content.decode()
    assert "Title:\n      theirs and yours differ, choose one" in page
    assert "Summary:\n      theirs and yours differ, choose one" in page
    assert "Last updated:\n      changed by them only" in page  # known from the form itself
    assert 'id="merge-kind-title"' not in page  # the same on both sides: nothing to show


def test_a_transition_pressed_with_a_conflicting_save_is_not_applied(writer, reviewer, draft):
    bob, carol = client_for(writer), client_for(reviewer)
    bobs_form, carols_form = open_form(bob, draft), open_form(carol, draft)
    assert save(bob, draft, {**bobs_form, "summary": "Bob's summary."}).status_code == 302
    response = save(carol, draft, {**carols_form, "summary": "Carol's summary.", "transition": "approve"})
    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.status, draft.summary) == (Status.DRAFT, "Bob's summary.")
    assert not draft.workflow_events.exclude(action=WorkflowEvent.Action.SAVE).exists()  # only Bob's save


def test_a_choice_made_before_another_save_still_counts(both_changed_the_body, reviewer, draft):
    bob, page = both_changed_the_body
    carol = client_for(reviewer)
    assert save(carol, draft, {**open_form(carol, draft), "summary": "Carol's second thought."}).status_code == 302

    response = save(bob, draft, {**form_of(page), "merge-body": "theirs"})  # chosen, but Carol saved again
    assert response.status_code == 200
    again = form_of(response.content.decode())
    assert (again["body"], again["summary"], again["title"]) == (
        "Carol's body.",
        "Carol's second thought.",
        "Bob's title",
    )
    assert again["conflict_fields"] == ""
    assert save(bob, draft, again).status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.summary, draft.body) == ("Bob's title", "Carol's second thought.", "Carol's body.")
