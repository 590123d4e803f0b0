"""Old addresses of articles, kept whatever path the change takes (admin, import, shell).

Bulk `QuerySet.update()` of kind or slug bypasses these signals; nothing in the project
renames articles that way.
"""

from django.db.models.signals import post_save, pre_delete, pre_save
from django.dispatch import receiver

from .models import Article, ArticleRedirect


@receiver(pre_save, sender=Article)
def remember_old_address(sender, instance: Article, raw: bool, **kwargs) -> None:
    instance._old_address = None
    if instance.pk and not raw:
        instance._old_address = Article.objects.filter(pk=instance.pk).values_list("kind", "slug").first()


@receiver(post_save, sender=Article)
def redirect_old_address(sender, instance: Article, raw: bool, **kwargs) -> None:
    if raw:
        return
    # The article's own address is never a redirect: this makes loops impossible.
    ArticleRedirect.objects.filter(kind=instance.kind, slug=instance.slug).delete()
    old = getattr(instance, "_old_address", None)
    if old and old != (instance.kind, instance.slug):
        kind, slug = old
        ArticleRedirect.objects.update_or_create(kind=kind, slug=slug, defaults={"article": instance})


@receiver(pre_delete, sender=Article)
def mark_address_gone(sender, instance: Article, **kwargs) -> None:
    # Old addresses keep their rows with no article (SET_NULL); the current one joins them.
    ArticleRedirect.objects.update_or_create(kind=instance.kind, slug=instance.slug, defaults={"article": None})
