"""schema.org JSON-LD for search engines, built from the same objects the page shows."""

from django.urls import reverse
from django.utils.html import strip_tags

from .article_images import image_sources_of
from .article_page import ArticlePage
from .models import Kind

ABOUT_TYPES = {
    Kind.CONDITION: "MedicalCondition",
    Kind.SYMPTOM: "MedicalSignOrSymptom",
    Kind.PROCEDURE: "MedicalProcedure",
}
CARE_LEVEL_NAMES = {"routine": "Routine", "urgent": "Urgent", "emergency": "Emergency"}


def organization(*, request, site) -> dict:
    """The site's publisher: its name from the site settings, its address the home page."""
    home = request.build_absolute_uri("/")
    return {"@type": "Organization", "@id": f"{home}#organization", "name": site.site_name, "url": home}


def article_json_ld(page: ArticlePage, *, request, site) -> list[dict]:
    article = page.article
    url = request.build_absolute_uri(article.get_absolute_url())
    kind = article.kind_enum
    site_name = site.site_name
    publisher = organization(request=request, site=site)
    web_page = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage",
        "@id": f"{url}#page",
        "url": url,
        "name": article.title,
        "description": article.summary,
        "inLanguage": "en",
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat(),
        "isPartOf": {"@type": "WebSite", "name": site_name, "url": request.build_absolute_uri("/")},
        # Articles are written by the editorial team, not one person; the reviewer is named below.
        "author": publisher,
        "publisher": publisher,
        "about": {
            "@type": ABOUT_TYPES[kind],
            "name": article.title,
            "alternateName": list(page.alternative_names),
        },
        "breadcrumb": {
            "@type": "BreadcrumbList",
            "itemListElement": [
                {"@type": "ListItem", "position": position, "name": name, "item": request.build_absolute_uri(path)}
                for position, (name, path) in enumerate(
                    [
                        ("Home", "/"),
                        (kind.plural_label, reverse("encyclopedia:kind_index", args=[kind])),
                        (article.title, article.get_absolute_url()),
                    ],
                    start=1,
                )
            ],
        },
    }
    if images := page.images:
        web_page["image"] = [image_object(image, request=request, site_name=site_name) for image in images]
    if codes := page.codes:
        web_page["about"]["code"] = [
            {
                "@type": "MedicalCode",
                "codingSystem": code.get_system_display(),
                "codeValue": code.code,
                **({"name": code.description} if code.description else {}),
            }
            for code in codes
        ]
    if article.last_reviewed_on:
        web_page["lastReviewed"] = article.last_reviewed_on.isoformat()
    if article.reviewed_by:
        web_page["reviewedBy"] = {
            "@type": "Person",
            "name": article.reviewed_by.get_full_name() or article.reviewed_by.get_username(),
        }
    if article.care_callouts:
        web_page["hasPart"] = [
            {
                "@type": "WebPageElement",
                "name": site.fill_numbers(f"{CARE_LEVEL_NAMES[callout['level']]}: {callout['title']}"),
                "text": site.fill_numbers(callout["text"]),
            }
            for callout in article.care_callouts
        ]
    data = [{key: value for key, value in web_page.items() if value is not None}]
    if faqs := page.faqs:
        data.append(
            {
                "@context": "https://schema.org",
                "@type": "FAQPage",
                "@id": f"{url}#faqs",
                "url": url,
                "isPartOf": {"@id": f"{url}#page"},
                "about": {"@id": f"{url}#page"},
                "mainEntity": [
                    {
                        "@type": "Question",
                        "name": faq.question,
                        "acceptedAnswer": {
                            "@type": "Answer",
                            "text": site.fill_numbers(" ".join(strip_tags(faq.answer_html).split())),
                        },
                    }
                    for faq in faqs
                ],
            }
        )
    return data


def image_object(image, *, request, site_name: str) -> dict:
    """An ImageObject with what reusing it needs: licence, where to get one, whom to credit."""
    sources = image_sources_of(image)
    og = sources["og"]
    data = {
        "@type": "ImageObject",
        "contentUrl": request.build_absolute_uri(sources["fallback_url"]),
        "width": sources["width"],
        "height": sources["height"],
        "caption": image.caption or None,
        "description": image.alt_text or None,
        "license": image.licence_deed_url() or None,
        "acquireLicensePage": image.source_url or image.licence_deed_url() or None,
        "creditText": image.credit or None,
        # The site's own pictures are made by its organisation; anyone else named is taken to be a person.
        "creator": {"@type": "Organization" if image.creator == site_name else "Person", "name": image.creator}
        if image.creator
        else None,
        "copyrightNotice": f"{image.credit or image.creator} – {image.get_licence_display()}".strip(" –"),
        "thumbnailUrl": request.build_absolute_uri(og["url"]) if og else None,
    }
    return {key: value for key, value in data.items() if value is not None}


def website_json_ld(*, request, site) -> dict:
    home = request.build_absolute_uri("/")
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site.site_name,
        "url": home,
        "publisher": organization(request=request, site=site),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": f"{request.build_absolute_uri(reverse('encyclopedia:search'))}?q={{search_term_string}}",
            },
            "query-input": "required name=search_term_string",
        },
    }
