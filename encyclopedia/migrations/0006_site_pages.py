"""Starting texts for the site's own pages; editors change them in admin."""

from django.db import migrations

from encyclopedia.markdown import render_markdown

PAGES = [
    (
        "about",
        "About this encyclopedia",
        "Who writes this encyclopedia, for whom, and how it is kept up to date.",
        """
This encyclopedia explains health conditions, symptoms and medical procedures in plain language, for
anyone who wants to understand what a diagnosis means, what a test involves or when to get help.

Every article is written by our editors and checked by a medical reviewer, who is named on the page
with the date of the review. Articles are reviewed again on a regular cycle, and sooner when guidance
changes or a reader tells us about a problem.

The encyclopedia gives general information. It cannot take account of your own situation and does not
replace advice from a health professional who knows you.
""",
    ),
    (
        "editorial-policy",
        "Editorial policy",
        "How articles are written, reviewed, corrected and kept current.",
        """
## How an article is made

1. An editor drafts the article from current clinical guidance and peer-reviewed sources, listed
   under "Sources" on the page.
2. A medical reviewer checks it for accuracy and balance. Only a reviewer can publish it.
3. The page shows when it was last updated and when it was last medically reviewed.

## Keeping articles current

Each article is reviewed again at least every three years, and sooner when guidance changes.
Corrections sent by readers are read by an editor and, where they concern medical content, by a
reviewer.

## Independence

We do not accept advertising inside articles, and no sponsor reviews or approves what we publish.
""",
    ),
    (
        "privacy",
        "Privacy notice",
        "What we collect when you use this site, why, and for how long.",
        """
## Reading the encyclopedia

Reading articles sets no cookies and we do not track you across sites.

## Sending feedback

When you send feedback we keep what you write, and your name and email address if you give them,
to improve our articles and to reply if you asked us to. Only our editorial team reads it. We never
sell it or share it for marketing.

To protect the form from abuse we keep a one-way, keyed fingerprint of your network address for a
short time; we never store the address itself.

Names, email addresses and fingerprints are removed from old feedback automatically; the message
itself is kept so that we can see how an article was improved.

## Your rights

You can ask us to show, correct or delete what we hold about you by writing to us through the
contact page.
""",
    ),
    (
        "accessibility",
        "Accessibility statement",
        "How accessible this site is and how to tell us about a problem.",
        """
We want everyone to be able to use this encyclopedia. The site aims to meet the Web Content
Accessibility Guidelines (WCAG) 2.2 at level AA: it can be used with a keyboard alone, works with
screen readers, keeps text readable when zoomed to 200 percent or on a narrow phone, respects your
colour scheme and reduced-motion settings, and never relies on colour alone.

Every release is checked automatically with an accessibility engine in a real browser.

If something is hard to use, please tell us through the feedback form and say which page and what
happened: we treat accessibility problems as bugs.
""",
    ),
    (
        "contact",
        "Contact us",
        "How to reach the editorial team.",
        """
The quickest way to reach our editors is the feedback form: it reaches the whole editorial team and
every message is read.

**We cannot answer personal medical questions.** If you are unwell, contact your doctor or a local
health service; in an emergency, call your local emergency number straight away.
""",
    ),
]


def create_pages(apps, schema_editor):
    SitePage = apps.get_model("encyclopedia", "SitePage")
    for position, (slug, title, summary, body) in enumerate(PAGES, start=1):
        body = body.strip()
        SitePage.objects.get_or_create(
            slug=slug,
            defaults={"title": title, "summary": summary, "body": body, "body_html": render_markdown(body),
                      "position": position},
        )  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("encyclopedia", "0005_care_levels_site_pages")]
    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
