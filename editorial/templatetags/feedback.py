from django import template
from django.conf import settings

from ..forms import FeedbackForm, FollowUpForm, VoteForm

register = template.Library()


def notices(context) -> dict:
    # The site settings (its emergency number) come from the page around the form.
    return {"site": context.get("site"), "retention_days": settings.FEEDBACK_PERSONAL_DATA_DAYS}


@register.inclusion_tag("editorial/includes/article_feedback.html", takes_context=True)
def article_feedback(context, article):
    """ "Is this page useful?" and the optional follow-up, for an article page that a shared
    cache may serve to anyone: nothing in it is specific to a visitor (no token, no cookie).
    The follow-up form stays hidden until the vote script fills in the vote it follows."""
    return {
        "article": article,
        "vote_form": VoteForm(initial={"article": article.uuid}),
        "follow_up": FollowUpForm(),
        **notices(context),
    }


@register.inclusion_tag("editorial/includes/feedback_form.html", takes_context=True)
def feedback_form(context, form=None):
    """The general feedback form; `form` re-renders a submitted one."""
    return {"form": form or FeedbackForm(), **notices(context)}


@register.inclusion_tag("editorial/includes/follow_up_form.html", takes_context=True)
def follow_up_form(context, form, hidden=False):
    return {"form": form, "hidden": hidden, **notices(context)}
