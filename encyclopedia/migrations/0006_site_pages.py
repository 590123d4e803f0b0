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
        "What happens to what you send us, and how long we keep it.",
        """
Reading this encyclopedia sets no cookies and needs no account. This notice explains what happens to
what you send us through our feedback forms.

## What we collect

- **"Is this page useful?"** Your yes or no answer, the page it was about and the time.
- **Messages.** What you write, its category, the page it was about (if any) and the time.
- **Name and email.** Only if you give them, and only so that we can reply.
- **Your internet address.** Never stored as it is. We keep a scrambled, keyed form of it (a hash
  that cannot be turned back into the address) to limit how often one connection can send feedback
  and to review abuse.

## How we use it

Our editors read feedback to correct and improve articles. Answers to "Is this page useful?" are
counted per article. Editors are told about new messages by email. We do not sell or share your
feedback, and we do not use it for advertising.

We cannot answer personal medical questions. If you are unwell, contact your doctor or pharmacist;
in an emergency, call your local emergency number.

## How long we keep it

Names, email addresses and scrambled internet addresses are deleted automatically after a set
period, stated on each feedback form (180 days unless we say otherwise). Messages and the counts of
answers are kept, without them, for as long as they help us improve the encyclopedia.

## Your choices

You can send feedback without giving your name or email. To ask us to delete a message you sent,
send us feedback saying roughly when you sent it and what it said.
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
