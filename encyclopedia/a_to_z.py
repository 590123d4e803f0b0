"""One page of an A–Z list: the kind's articles in title order, with the everyday terms listed there
as cross-references ("Hypertension → High blood pressure") where their own letter falls, grouped
by letter so that the letter links can jump within the page."""

from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator

from .models import Article, ArticleQuerySet, Kind, LayTerm, index_letter


@dataclass
class Entry:
    title: str
    url: str
    sort_title: str
    summary: str = ""
    see: str = ""  # a cross-reference: the title of the article it points to


@dataclass
class LetterGroup:
    letter: str
    entries: list[Entry] = field(default_factory=list)


@dataclass
class AtoZPage:
    page: Page
    groups: list[LetterGroup]
    letters: set[str]  # every letter with an article or a cross-reference, on any page


def a_to_z_page(articles: ArticleQuerySet, kind: Kind, letter: str, page_number, page_size: int) -> AtoZPage:
    """The page in four queries, whatever the number of articles and terms: letters, count, the page's
    articles (and the next page's first, which ends this page's share of cross-references) and the kind's
    cross-references (few: terms editors chose to list)."""
    letters = articles.letters()
    if letter:
        articles = articles.filter(letter=letter)
    ordered = articles.alphabetical().only("kind", "slug", "title", "summary", "sort_title")
    page = Paginator(ordered, page_size).get_page(page_number)
    start = (page.number - 1) * page_size
    rows = list(ordered[start : start + page_size + 1])
    page.object_list, following = rows[:page_size], rows[page_size:]
    references = list(LayTerm.objects.cross_references(kind))
    letters |= {reference.letter for reference in references}
    lower = page.object_list[0].sort_title if page.number > 1 and page.object_list else None
    upper = following[0].sort_title if following else None
    entries = [_article_entry(article) for article in page.object_list] + [
        Entry(title=reference.term, url=reference.article.get_absolute_url(), sort_title=reference.sort_title,
              see=reference.article.title)
        for reference in references
        if (not letter or reference.letter == letter)
        and (lower is None or reference.sort_title >= lower)
        and (upper is None or reference.sort_title < upper)
    ]  # fmt: skip
    groups: list[LetterGroup] = []
    for entry in sorted(entries, key=lambda entry: (entry.sort_title, bool(entry.see))):
        entry_letter = index_letter(entry.title)
        if not groups or groups[-1].letter != entry_letter:
            groups.append(LetterGroup(letter=entry_letter))
        groups[-1].entries.append(entry)
    return AtoZPage(page=page, groups=groups, letters=letters)


def _article_entry(article: Article) -> Entry:
    return Entry(title=article.title, url=article.get_absolute_url(), sort_title=article.sort_title,
                 summary=article.summary)  # fmt: skip
