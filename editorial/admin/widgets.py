from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget

from ..forms import MarkdownField, TextAreaField

# Browsers send text areas with CRLF line ends; stored text uses LF, so an untouched field
# must not look changed (that would move "Last updated" on every save).
TEXT_AREAS = {
    MarkdownxField: {"widget": AdminMarkdownxWidget, "form_class": MarkdownField},
    models.TextField: {"widget": AdminTextareaWidget, "form_class": TextAreaField},
}
