from django import template
from django.conf import settings

from ..forms import FeedbackForm, FollowUpForm, VoteForm

register = template.Library()


def notices() -> dict:
    return {
        "emergency_number": settings.FEEDBACK_EMERGENCY_NUMBER,
        "retention_days": settings.FEEDBACK_PERSONAL_DATA_DAYS,
    }


@register.inclusion_tag("editorial/includes/article_feedback.html")
def article_feedback(article):
    """ "Is this page useful?" and the optional follow-up, for an article page that a shared
    cache may serve to anyone: nothing in it is specific to a visitor (no token, no cookie).
    The follow-up form stays hidden until the vote script fills in the vote it follows."""
    return {
        "article": article,
        "vote_form": VoteForm(initial={"article": article.uuid}),
        "follow_up": FollowUpForm(),
        **notices(),
    }


@register.inclusion_tag("editorial/includes/feedback_form.html")
def feedback_form(form=None):
    """The general feedback form; `form` re-renders a submitted one."""
    return {"form": form or FeedbackForm(), **notices()}


@register.inclusion_tag("editorial/includes/follow_up_form.html")
def follow_up_form(form, hidden=False):
    return {"form": form, "hidden": hidden, **notices()}
