from django.apps import AppConfig


class EncyclopediaConfig(AppConfig):
    name = "encyclopedia"
    verbose_name = "Published content"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (addresses and the page cache follow every change)
        from .search import index  # noqa: F401  (so does the search index)
