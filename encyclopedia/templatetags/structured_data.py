import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import structured_data

register = template.Library()

# As django.utils.html.json_script does: no "</script>" or HTML comment can be formed.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.simple_tag
def json_ld(data) -> str:
    """A <script type="application/ld+json"> block, escaped so that no text in it can close the script."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@register.simple_tag(takes_context=True)
def article_json_ld(context, page) -> str:
    return json_ld(structured_data.article_json_ld(page, request=context["request"], site=context["site"]))


@register.simple_tag(takes_context=True)
def website_json_ld(context) -> str:
    return json_ld(structured_data.website_json_ld(request=context["request"], site=context["site"]))


@register.simple_tag(takes_context=True)
def absolute_url(context, url: str) -> str:
    """An address as link previews need it: with scheme and host (media on another origin keeps its own)."""
    return context["request"].build_absolute_uri(url)
