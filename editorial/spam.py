"""Spam signals that need no third-party service: the honeypot, the fill time and links.

The fill time travels in the form as a signed timestamp, so it cannot be forged or moved.
A form that fails the honeypot or the fill time is still stored, with status "spam" and the
reason, so that an editor can recover a false positive.
"""

import re
import time

from django.conf import settings
from django.core import signing

STARTED_SALT = "editorial.feedback.started"
VOTE_SALT = "editorial.feedback.vote"
LINK = re.compile(r"\b(?:https?://|www\.)", re.IGNORECASE)


def started_stamp() -> str:
    """A signed "the form was shown now" for the /feedback/ page."""
    return signing.dumps(int(time.time()), salt=STARTED_SALT)


def started_at(stamp: str) -> int | None:
    try:
        value = signing.loads(stamp, salt=STARTED_SALT)
    except signing.BadSignature:
        return None
    return value if isinstance(value, int) else None


def vote_token(vote_id: int) -> str:
    """Links a message written after a vote to that vote; also stamps when the vote was cast."""
    return signing.dumps({"vote": vote_id, "at": int(time.time())}, salt=VOTE_SALT)


def read_vote_token(token: str) -> tuple[int, int] | None:
    """(vote id, time of the vote) from a token, or None when it is malformed or tampered with."""
    try:
        value = signing.loads(token, salt=VOTE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("vote"), int) or not isinstance(value.get("at"), int):
        return None
    return value["vote"], value["at"]


def fill_time_spam_reason(started: int | None) -> str:
    if started is None:
        return "no valid fill-time stamp"
    seconds = int(time.time()) - started
    if seconds < settings.FEEDBACK_MIN_FILL_SECONDS:
        return f"sent {max(seconds, 0)} s after the form was shown"
    return ""


def count_links(text: str) -> int:
    return len(LINK.findall(text))
