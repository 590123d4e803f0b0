from django.apps import AppConfig


class EncyclopediaConfig(AppConfig):
    name = "encyclopedia"
    verbose_name = "Published content"

    def ready(self):
        from .search import index  # noqa: F401  (connects the receivers that keep search current)
