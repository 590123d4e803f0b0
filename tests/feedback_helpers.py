"""Small helpers shared by the feedback tests."""

import time

from django.core import signing

from editorial.spam import STARTED_SALT
from encyclopedia.models import Article

from .conftest import SAME_ORIGIN


def stamp(seconds_ago: int = 60) -> str:
    """The signed fill-time stamp the /feedback/ page would have carried `seconds_ago`."""
    return signing.dumps(int(time.time()) - seconds_ago, salt=STARTED_SALT)


def general(message: str = "Could you add an article on gout?", **fields) -> dict:
    """A valid submission of the general form, filled in at human speed."""
    return {"category": "suggestion", "message": message, "started": stamp(), **fields}


def post_feedback(client, data, headers=SAME_ORIGIN, **extra):
    return client.post("/feedback/", data, headers=headers, **extra)


def vote(client, article: Article, helpful: str = "yes", headers=SAME_ORIGIN, **extra):
    return client.post("/feedback/vote/", {"article": str(article.uuid), "helpful": helpful}, headers=headers, **extra)


def triage_form(*, note: str = "", reply: str = "", **fields) -> dict:
    """What the feedback change page posts: its fields, and the notes and replies inlines (one new row each)."""
    data = {"status": "new", "assignee": "", **fields}
    for prefix, text in (("notes", note), ("replies", reply)):
        data |= {f"{prefix}-TOTAL_FORMS": "1", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MIN_NUM_FORMS": "0",
                 f"{prefix}-MAX_NUM_FORMS": "1000", f"{prefix}-0-body": text}  # fmt: skip
    return data
