from django.apps import AppConfig


class EncyclopediaConfig(AppConfig):
    name = "encyclopedia"
    verbose_name = "Published content"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
