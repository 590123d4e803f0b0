"""Edit conflicts merged three ways: the version an editor started from (base), the colleague's saved
version (theirs) and the editor's form (mine). A change made on one side is taken, a part changed on both
sides waits for a choice, and nothing is silently reverted."""

import pytest

from editorial.revisions import Outcome, merge_three_way

pytestmark = pytest.mark.django_db


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
