import reversion
from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


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


class EditorialAdminConfig(admin_apps.AdminConfig):
    """Django's admin with our site (its home page is each person's desk); replaces "django.contrib.admin"."""

    default = False  # EditorialConfig is this module's app
    default_site = "editorial.admin_site.EditorsAdminSite"
