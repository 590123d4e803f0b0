"""What an article derives from its FAQs and other names (reading figures, search data, the images and links it
uses) is redone by signal receivers after each of them is saved or deleted. Code that writes many at once (an
import, the admin's inline forms, restoring a revision) does it within `signals.parts_saved_together()`: the
receivers then leave it to be redone once per article, at the end of the block, instead of once per row. Parts
deleted with their article redo nothing."""

from contextvars import ContextVar

pending_articles: ContextVar[set[int] | None] = ContextVar("pending_articles", default=None)


def left_for_later(part, origin=None) -> bool:
    """True when nothing of the article of this FAQ or name need be redone now: the part is deleted with its
    article (the deletion started from something other than the part's own model), or a
    `parts_saved_together()` block will redo it (the article is then noted for it)."""
    if origin is not None and getattr(origin, "model", type(origin)) is not type(part):
        return True
    pending = pending_articles.get()
    if pending is None:
        return False
    pending.add(part.article_id)
    return True
