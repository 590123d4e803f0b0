from markdownx.models import MarkdownxField

from core.text import CleanTextMixin


class MarkdownField(CleanTextMixin, MarkdownxField):
    """Markdown an editor writes, with markdownx's live-preview widget in admin, never holding a
    control character (core.text)."""
