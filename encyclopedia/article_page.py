"""Everything an article's page shows, fetched and prepared in one place.

The reader page, the read API (`article_page()`) and the editors' preview (`preview_page()`)
all go through one function, so they show the same text, resolve the same [[links]] and declare the same page-cache tags.
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from . import article_images, page_cache
from .article_images import image_sources_of
from .links import addresses_in, find_targets, resolve, resolve_markdown
from .markdown import Section, sections_of
from .models import Article, Image, Kind, MedicalCode, Source


@dataclass(frozen=True)
class FAQOnPage:
    question: str
    answer_markdown: str  # links to unpublished articles as plain text
    answer_html: str  # sanitized, links resolved for readers


@dataclass(frozen=True)
class ArticlePage:
    article: Article  # its own fields only: every related row is below
    body_markdown: str  # the body as written, but links to unpublished articles as plain text
    body_html: str  # sanitized, links resolved for readers
    sections: tuple[Section, ...]  # the body cut at each heading, links resolved (HTML and Markdown)
    faqs: tuple[FAQOnPage, ...]
    alternative_names: tuple[str, ...]
    sources: tuple[Source, ...]
    codes: tuple[MedicalCode, ...]
    related: tuple[Article, ...]  # published only, in title order; each with its `thumbnail` (None without image)
    images: tuple[Image, ...]  # the library images the page shows, in order, with their renditions
    cache_tags: frozenset[str]  # what the page shows, for the page cache

    @property
    def share_image(self) -> dict | None:
        """The image link previews show (og:image): the first one that is not decorative, as its 1200×630 crop
        ({"url", "type", "width", "height", "alt"})."""
        for image in self.images:
            if not image.decorative and (crop := image_sources_of(image)["og"]):
                return {**crop, "alt": image.alt_text}
        return None

    @property
    def related_by_kind(self) -> list[tuple[Kind, list[Article]]]:
        """Related articles grouped as Conditions / Symptoms / Procedures, leaving out empty groups."""
        groups = [(kind, [other for other in self.related if other.kind == kind]) for kind in Kind]
        return [(kind, articles) for kind, articles in groups if articles]


def article_page(kind: Kind | str, slug: str) -> ArticlePage | None:
    """The page of the published article at this address, as readers see it."""
    return _page_of(Article.objects.published().filter(kind=kind, slug=slug))


def preview_page(article_id: int) -> ArticlePage | None:
    """The page of any article (a draft, a working copy) exactly as readers would see it: the editors' preview,
    which also names images the library does not have (readers see nothing there)."""
    return _page_of(Article.objects.filter(pk=article_id), for_editors=True)


def _page_of(articles, *, for_editors: bool = False) -> ArticlePage | None:
    """A fixed number of queries: the article and its reviewer, five lists, at most two for the articles its
    [[links]] name, two for its images (none without) and one for the related articles' thumbnails."""
    related = Article.objects.published().alphabetical().only("kind", "slug", "title", "summary")
    article = (
        articles.select_related("reviewed_by")
        .prefetch_related(
            "alternative_names", "faqs", "sources", "codes", Prefetch("related", queryset=related, to_attr="shown")
        )
        .first()
    )
    if article is None:
        return None
    faqs = list(article.faqs.all())
    addresses = addresses_in(article.body_html, *(faq.answer_html for faq in faqs))
    targets = find_targets(addresses)
    shown_related = tuple(article.shown)
    thumbnails = article_images.related_thumbnails(article)
    for other in shown_related:
        other.thumbnail = thumbnails.get(other.pk)
    references = article_images.references_in(article.body_html, *(faq.answer_html for faq in faqs))
    images = article_images.find_images(references)
    eager = article_images.eager_image(article.body_html, article.sections)

    def resolved(html: str, *, eager: str | None = None) -> str:
        return article_images.resolve(resolve(html, targets), images, eager=eager, for_editors=for_editors)

    return ArticlePage(
        article=article,
        body_markdown=resolve_markdown(article.body, targets),
        body_html=resolved(article.body_html, eager=eager),
        sections=tuple(
            Section(
                id=section.id,
                title=section.title,
                html=resolved(section.html, eager=eager),
                markdown=None if section.markdown is None else resolve_markdown(section.markdown, targets),
            )
            for section in sections_of(article.body_html, article.body, article.sections)
        ),
        faqs=tuple(
            FAQOnPage(
                question=faq.question,
                answer_markdown=resolve_markdown(faq.answer, targets),
                answer_html=resolved(faq.answer_html),
            )
            for faq in faqs
        ),
        alternative_names=tuple(name.name for name in article.alternative_names.all()),
        sources=tuple(article.sources.all()),
        codes=tuple(article.codes.all()),
        related=shown_related,
        images=tuple(images[uuid] for uuid in references if uuid in images),
        cache_tags=frozenset(
            {
                *(page_cache.image_tag(image) for image in images.values()),
                *(page_cache.image_tag(thumbnail["image_id"]) for thumbnail in thumbnails.values()),
                page_cache.article_tag(article),
                *(page_cache.article_tag(other) for other in shown_related),
                *(page_cache.article_tag(target) for target in targets.values()),
                *(page_cache.address_tag(kind, slug) for kind, slug in addresses),
                *([page_cache.user_tag(article.reviewed_by_id)] if article.reviewed_by_id else []),
            }
        ),
    )
