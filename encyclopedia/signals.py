"""What must follow a change of content, whatever path it takes (admin, import, shell): old
addresses of articles, an article's reading figures, and the page cache.

Bulk `QuerySet.update()` bypasses these signals; nothing in the project changes what readers
see that way.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from . import article_images, page_cache, upkeep
from .links import recheck_links_to, store_internal_links
from .models import (
    FAQ,
    AlternativeName,
    Article,
    ArticleRedirect,
    Image,
    Kind,
    LayTerm,
    PromotionLink,
    Rendition,
    SitePage,
    SiteSettings,
    Source,
)
from .search.index import search_index_refresh

# A working copy holds no address of its own until it is approved onto its live article, so
# it makes no redirect, marks no address gone and changes no page readers see.


@receiver(pre_save, sender=Article)
def remember_old_address(sender, instance: Article, raw: bool, **kwargs) -> None:
    instance._old_address = None
    if instance.pk and not raw and not instance.is_working_copy:
        instance._old_address = Article.objects.filter(pk=instance.pk).values_list("kind", "slug").first()


@receiver(post_save, sender=Article)
def redirect_old_address(sender, instance: Article, raw: bool, **kwargs) -> None:
    if raw or instance.is_working_copy:
        return
    # The article's own address is never a redirect: this makes loops impossible.
    ArticleRedirect.objects.filter(kind=instance.kind, slug=instance.slug).delete()
    old = getattr(instance, "_old_address", None)
    if old and old != (instance.kind, instance.slug):
        kind, slug = old
        ArticleRedirect.objects.update_or_create(kind=kind, slug=slug, defaults={"article": instance})


@receiver(pre_delete, sender=Article)
def mark_address_gone(sender, instance: Article, **kwargs) -> None:
    if instance.is_working_copy:
        return
    # Old addresses keep their rows with no article (SET_NULL); the current one joins them.
    ArticleRedirect.objects.update_or_create(kind=instance.kind, slug=instance.slug, defaults={"article": None})


@receiver(post_save, sender=FAQ)
@receiver(post_delete, sender=FAQ)
def faq_changed(sender, instance: FAQ, raw: bool = False, origin=None, **kwargs) -> None:
    if not raw and not upkeep.left_for_later(instance, origin):
        measure_reading_again(instance.article_id)


def measure_reading_again(article_id: int) -> None:
    """FAQs are read with the article: its reading figures follow their changes. Saved as an update, not a
    save(): the article's text did not change, so neither does its version."""
    article = Article.objects.filter(pk=article_id).first()
    if article is not None:
        article.measure_reading()
        Article.objects.filter(pk=article.pk).update(
            **{name: getattr(article, name) for name in Article.READING_FIELDS}
        )


@contextmanager
def parts_saved_together() -> Iterator[None]:
    """FAQs and other names saved or deleted within the block leave what their articles derive from them to be
    redone once per article at its end (see upkeep.py); nothing is redone when the block fails, as the
    caller's transaction is then undone."""
    pending: set[int] = set()
    token = upkeep.pending_articles.set(pending)
    try:
        yield
    finally:
        upkeep.pending_articles.reset(token)
    for article_id in sorted(pending):
        measure_reading_again(article_id)
        article_images.refresh_uses(article_id)
        store_internal_links(article_id)
        search_index_refresh([article_id])


# Page cache invalidation: every change bumps the tags of what it affects (see page_cache.py).
# Raw saves (fixtures, restoring a revision) count too: what readers see changed all the same.


@receiver(post_save, sender=Article)
@receiver(post_delete, sender=Article)
def article_changed(sender, instance: Article, **kwargs) -> None:
    if instance.is_working_copy:
        return
    tags = {
        page_cache.articles_tag(),
        page_cache.article_tag(instance),
        page_cache.kind_tag(instance.kind),
        page_cache.address_tag(instance.kind, instance.slug),
    }
    if old := getattr(instance, "_old_address", None):
        tags |= {page_cache.kind_tag(old[0]), page_cache.address_tag(*old)}
    page_cache.bump(*tags)


@receiver(post_save, sender=FAQ)
@receiver(post_delete, sender=FAQ)
@receiver(post_save, sender=AlternativeName)
@receiver(post_delete, sender=AlternativeName)
@receiver(post_save, sender=Source)
@receiver(post_delete, sender=Source)
def part_of_article_changed(sender, instance, **kwargs) -> None:
    page_cache.bump(page_cache.article_tag(instance.article_id))


@receiver(post_save, sender=LayTerm)
@receiver(post_delete, sender=LayTerm)
def lay_term_changed(sender, instance: LayTerm, **kwargs) -> None:
    # An A–Z cross-reference may have come, gone or moved to another kind's list: rare enough to bump them all.
    page_cache.bump(*(page_cache.kind_tag(kind) for kind in Kind.values))


@receiver(m2m_changed, sender=Article.related.through)
def relations_changed(sender, instance, action: str, pk_set, **kwargs) -> None:
    if action.startswith("post_"):
        # Symmetric relations: both sides' pages change. A clear() gives no pk_set: bump the instance.
        page_cache.bump(*(page_cache.article_tag(pk) for pk in {instance.pk, *(pk_set or ())}))


@receiver(post_save, sender=Image)
@receiver(post_delete, sender=Image)
@receiver(post_save, sender=Rendition)
@receiver(post_delete, sender=Rendition)
def image_changed(sender, instance, **kwargs) -> None:
    page_cache.bump(page_cache.image_tag(instance if sender is Image else instance.image_id))


# The library images an article shows (ArticleImage rows), derived from its text like its HTML.


@receiver(post_save, sender=Article)
def article_images_changed(sender, instance: Article, raw: bool, **kwargs) -> None:
    if not raw:
        article_images.refresh_uses(instance.pk)


@receiver(post_save, sender=FAQ)
def faq_images_changed(sender, instance: FAQ, raw: bool, **kwargs) -> None:
    if not raw and not upkeep.left_for_later(instance):
        article_images.refresh_uses(instance.article_id)


@receiver(post_delete, sender=FAQ)
def faq_images_removed(sender, instance: FAQ, origin=None, **kwargs) -> None:
    if not upkeep.left_for_later(instance, origin):
        article_images.refresh_uses(instance.article_id, only_remove=True)


@receiver(post_save, sender=SiteSettings)
@receiver(post_save, sender=PromotionLink)
@receiver(post_delete, sender=PromotionLink)
@receiver(post_save, sender=SitePage)
@receiver(post_delete, sender=SitePage)
def site_changed(sender, **kwargs) -> None:
    page_cache.bump(page_cache.site_tag())


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def person_changed(sender, instance, **kwargs) -> None:
    page_cache.bump(page_cache.user_tag(instance))  # a reviewer's name is on the pages they reviewed


# The InternalLink rows an article's links are checked from (links.py): derived from the stored HTML of the
# article and its FAQs, so rewritten after any save of either, raw ones included; and marked again whenever
# the article at an address they lead to changes (published, unpublished, renamed, deleted).


def _addresses_of(article: Article) -> set[tuple[str, str]]:
    return {(article.kind, article.slug), *ArticleRedirect.objects.filter(article=article).values_list("kind", "slug")}


@receiver(post_save, sender=Article)
def article_links_changed(sender, instance: Article, **kwargs) -> None:
    store_internal_links(instance.pk)
    if not instance.is_working_copy:
        old = getattr(instance, "_old_address", None)
        recheck_links_to(_addresses_of(instance) | ({old} if old else set()))


@receiver(pre_delete, sender=Article)
def remember_addresses(sender, instance: Article, **kwargs) -> None:
    instance._link_addresses = set() if instance.is_working_copy else _addresses_of(instance)


@receiver(post_delete, sender=Article)
def links_to_deleted_article(sender, instance: Article, **kwargs) -> None:
    recheck_links_to(getattr(instance, "_link_addresses", set()))


@receiver(post_save, sender=FAQ)
@receiver(post_delete, sender=FAQ)
def faq_links_changed(sender, instance: FAQ, origin=None, **kwargs) -> None:
    # Not while its article is deleted: the rows it would write would outlive the article.
    if not upkeep.left_for_later(instance, origin):
        store_internal_links(instance.article_id)
