from django import template

from ..forms import FeedbackForm

register = template.Library()


@register.inclusion_tag("editorial/includes/feedback_form.html")
def feedback_form(article=None, form=None):
    """The feedback form, bound to `article` on article pages; `form` re-renders a submitted one."""
    if form is None:
        form = FeedbackForm(initial={"article": article} if article else None)
    return {"form": form, "article": article}
