"""The parts of an article edited inside its form: alternative names, FAQs, sources, medical codes."""

from django import forms
from django.contrib import admin

from encyclopedia import article_images
from encyclopedia.codes import normalize
from encyclopedia.models import FAQ, AlternativeName, MedicalCode, Source

from .widgets import TEXT_AREAS


class AlternativeNameInline(admin.TabularInline):
    model = AlternativeName
    extra = 1
    verbose_name = "alternative name"
    verbose_name_plural = "Also called"


class NewRowsGoLastFormSet(forms.BaseInlineFormSet):
    """Empty rows offered for a new FAQ or source start at the next position after the saved
    rows (ascending if there are several), so that what is added goes last by default, also
    without JavaScript. Rows added with "Add another" get theirs from admin-markdownx-inlines.js."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        last = max((row.position for row in self.get_queryset()), default=0)
        # As many as the formset has extra forms: when posted, an untouched one must not look changed.
        extra = max(self.total_form_count() - self.initial_form_count(), 0)
        self.initial_extra = [{"position": last + number} for number in range(1, extra + 1)]


class FAQForm(forms.ModelForm):
    def clean_answer(self) -> str:
        answer = self.cleaned_data["answer"]
        if problems := article_images.reference_problems([answer]):
            raise forms.ValidationError(
                [forms.ValidationError(problem, code="image_reference") for problem in problems]
            )
        return answer


class FAQInline(admin.StackedInline):
    model = FAQ
    form = FAQForm
    formset = NewRowsGoLastFormSet
    extra = 1
    fields = ["position", "question", "answer"]
    formfield_overrides = TEXT_AREAS


class SourceInline(admin.TabularInline):
    model = Source
    formset = NewRowsGoLastFormSet
    extra = 1
    fields = ["position", "title", "publisher", "url", "accessed_on"]


class MedicalCodeForm(forms.ModelForm):
    def clean(self):
        cleaned = super().clean()
        # Compared in canonical form, so that "r252" and "R25.2" are seen as the same code twice.
        if cleaned.get("system") and cleaned.get("code"):
            cleaned["code"] = normalize(cleaned["system"], cleaned["code"])
        return cleaned


class MedicalCodeInline(admin.TabularInline):
    """Codes are checked by `MedicalCode.clean()`: an unknown ICD-10-CM code is refused with the reason."""

    model = MedicalCode
    form = MedicalCodeForm
    extra = 1
    fields = ["system", "code", "description"]
    verbose_name_plural = "Medical codes"
