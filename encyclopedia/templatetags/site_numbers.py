from django import template

register = template.Library()


@register.filter
def with_numbers(value, site):
    """The text with {emergency_number} and the urgent service's placeholders filled in from the site
    settings (SiteSettings.fill_numbers): sanitized HTML stays HTML, plain text stays text to escape."""
    return site.fill_numbers(value)
