import reversion
from django.apps import AppConfig


class EditorialConfig(AppConfig):
    name = "editorial"
    verbose_name = "Editorial"

    def ready(self) -> None:
        from encyclopedia.models import FAQ, AlternativeName, Article, MedicalCode, Source

        # Revisions of an article (django-reversion) hold its FAQs, alternative names, sources and codes.
        reversion.register(FAQ)
        reversion.register(AlternativeName)
        reversion.register(Source)
        reversion.register(MedicalCode)
        # The version counter is not content: restoring an old revision must not wind it back,
        # or an edit form opened before the restore would no longer be seen as out of date.
        reversion.register(Article, follow=["faqs", "alternative_names", "sources", "codes"], exclude=["version"])
