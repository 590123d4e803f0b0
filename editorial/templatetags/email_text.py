"""Filters for plain-text emails: what a reader wrote can never start a line that looks like ours."""

from django import template

register = template.Library()


@register.filter
def one_line(value) -> str:
    """All of `value` on one line, whatever line breaks it holds."""
    return " ".join(str(value).split())


@register.filter
def quoted(value) -> str:
    """Each line of `value` behind "> ", as mail programs quote: no line of it can pass for ours."""
    return "\n".join(f"> {line}".rstrip() for line in str(value).splitlines() or [""])
