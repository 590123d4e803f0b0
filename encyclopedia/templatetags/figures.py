from django import template

from ..article_images import image_sources_of

register = template.Library()


@register.filter
def picture_sources(image) -> dict:
    """What a <picture> of this library image needs, from its prefetched renditions (never Pillow)."""
    return image_sources_of(image)
