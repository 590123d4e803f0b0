"""Who may use which admin page, for everything but the article admin (test_admin_permission_matrix.py covers
that, with its workflow): every URL of the admin site itself, of every other registered ModelAdmin, and our own
views under the admin path, as each role, with GET and with a POST carrying a valid CSRF token.

Every view must ask for a permission, not only for staff status: an Editor has no business with readers'
feedback, vote figures or accounts, a Feedback triager none with articles.

The URLs come from the admin's own lists (`admin.site.get_urls()` and each ModelAdmin's `get_urls()`): a model
registered later, or a URL added to one, fails here until the role table says who may use it.
"""

import dataclasses

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLPattern, reverse

from editorial.models import Feedback
from encyclopedia.images import create_image
from encyclopedia.models import Article, SearchMiss, SitePage, SiteSettings

from .admin_urls import csrf_client, in_savepoint, parameters, post
from .image_files import encode, photo, upload

# Permissions and the workflow, through the admin: nothing here differs between database engines.
pytestmark = [pytest.mark.django_db, pytest.mark.engine_independent]

# The role table (README, "Editorial workflow"): which roles each admin page answers, for GET and for POST.
# Anyone else signed in as staff gets 403 (404 for an app's index with nothing of theirs in it); anonymous
# visitors are sent to the login page. "-" in a row is nobody, not even a superuser.
#
#                                         Editor  Reviewer  Triager  superuser
# admin home, own password, jsi18n          yes     yes       yes      yes    (jsi18n: GET only)
# feedback: list, change, history, CSV,
#   least useful articles (vote figures)    no      no        yes      yes
# feedback: delete                          no      no        no       yes
# feedback: add                             -       -         -        -      (feedback comes from readers)
# searches that found nothing: list,
#   history, delete                         no      no        no       yes    (change: read-only, add: -)
# site settings: change, history            no      no        no       yes    (add: - once the row exists;
#                                                                              delete: -)
# site pages, users, roles (groups)         no      no        no       yes
# axes (lockouts, sign-in failures)         no      no        no       yes
# Markdown preview (POST only)              yes     yes       no       yes    (anonymous: 403)
# "view on site" of an article              yes     yes       no       yes
# article autocomplete (GET only)           yes     yes       no       yes
# media library: list, add, change,
#   history, skin-tone coverage             yes     yes       no       yes
# media library: delete                     no      yes       no       yes
ROLES = ("anonymous", "editor", "reviewer", "triager", "superuser")
STAFF = {"editor", "reviewer", "triager", "superuser"}
WRITERS = {"editor", "reviewer", "superuser"}
TRIAGERS = {"triager", "superuser"}
SUPERUSER = {"superuser"}
REVIEWERS = {"reviewer", "superuser"}
NOBODY = set()


def both(roles):
    return {"GET": roles, "POST": roles}


# (area, page) -> {method: roles that may}. An area is a model's label or "site" for the admin site's own pages.
TABLE = {
    ("site", "index"): both(STAFF),
    ("site", "password_change"): both(STAFF),
    ("site", "password_change_done"): {"GET": STAFF, "POST": NOBODY},
    ("site", "jsi18n"): {"GET": STAFF, "POST": NOBODY},
    ("site", "autocomplete"): {"GET": WRITERS, "POST": NOBODY},
    ("site", "view_on_site"): both(WRITERS),
    ("site", "markdown_preview"): {"GET": NOBODY, "POST": WRITERS},
    ("editorial.Feedback", "changelist"): both(TRIAGERS),
    ("editorial.Feedback", "change"): both(TRIAGERS),
    ("editorial.Feedback", "history"): both(TRIAGERS),
    ("editorial.Feedback", "export"): both(TRIAGERS),
    ("editorial.Feedback", "least_useful"): both(TRIAGERS),
    ("editorial.Feedback", "delete"): both(SUPERUSER),
    ("editorial.Feedback", "add"): both(NOBODY),
    ("encyclopedia.SearchMiss", "changelist"): both(SUPERUSER),
    ("encyclopedia.SearchMiss", "history"): both(SUPERUSER),
    ("encyclopedia.SearchMiss", "delete"): both(SUPERUSER),
    ("encyclopedia.SearchMiss", "change"): {"GET": SUPERUSER, "POST": NOBODY},
    ("encyclopedia.SearchMiss", "add"): both(NOBODY),
    ("encyclopedia.SiteSettings", "changelist"): both(SUPERUSER),
    ("encyclopedia.SiteSettings", "change"): both(SUPERUSER),
    ("encyclopedia.SiteSettings", "history"): both(SUPERUSER),
    ("encyclopedia.SiteSettings", "add"): both(NOBODY),
    ("encyclopedia.SiteSettings", "delete"): both(NOBODY),
    **{("encyclopedia.Image", page): both(WRITERS) for page in ["changelist", "add", "change", "history", "coverage"]},
    ("encyclopedia.Image", "delete"): both(REVIEWERS),
    **{
        (label, page): both(SUPERUSER)
        for label in ["encyclopedia.SitePage", "auth.User", "auth.Group"]
        for page in ["changelist", "add", "change", "history", "delete"]
    },
    ("auth.User", "password_change"): both(SUPERUSER),
    **{
        (label, page): both(SUPERUSER)
        for label in ["axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"]
        for page in ["changelist", "change", "history", "delete"]
    },
    **{(label, "add"): both(NOBODY) for label in ["axes.AccessAttempt", "axes.AccessLog", "axes.AccessFailureLog"]},
}
# An app's index lists the models a role may see, and is a 404 for a role with none.
APP_INDEX = {"editorial": TRIAGERS, "encyclopedia": WRITERS, "auth": SUPERUSER, "axes": SUPERUSER}
# The admin site's pages that ask no permission, on purpose: signing in and out, and "no such page".
OPEN = {"login", "logout", "catch_all"}
# Pages that answer only GET, whoever asks (signed in: asked before any permission).
GET_ONLY = {"jsi18n", "password_change_done", "autocomplete"}


# The world: one object of each model the admins serve.


@pytest.fixture
def world(django_user_model, writer, reviewer, triager, leg_cramps):
    users = {
        "anonymous": None,
        "editor": writer,
        "reviewer": reviewer,
        "triager": triager,
        "superuser": django_user_model.objects.create_superuser("root", "root@example.org", "a-long-enough-pw"),
    }
    feedback = Feedback.objects.create(article=leg_cramps, category="error", message="A typo in the summary.")
    objects = {
        "editorial.Feedback": feedback,
        "encyclopedia.SearchMiss": SearchMiss.objects.create(query="hiccup cure", count=3),
        "encyclopedia.SiteSettings": SiteSettings.objects.get(),
        "encyclopedia.SitePage": SitePage.objects.create(title="Funding", slug="funding", body="Who pays for us."),
        "encyclopedia.Image": create_image(
            upload=upload(encode(photo())), uploaded_by=writer, title="Calf stretch", alt_text="A calf stretch."
        ),
        "auth.User": writer,
        "auth.Group": Group.objects.get(name="Editor"),
        "axes.AccessAttempt": AccessAttempt.objects.create(
            username="mallory",
            ip_address="192.0.2.1",
            user_agent="x",
            http_accept="x",
            path_info="/",
            failures_since_start=1,
        ),
        "axes.AccessLog": AccessLog.objects.create(
            username="mallory", ip_address="192.0.2.1", user_agent="x", http_accept="x", path_info="/"
        ),  # fmt: skip
        "axes.AccessFailureLog": AccessFailureLog.objects.create(
            username="mallory", ip_address="192.0.2.1", user_agent="x", http_accept="x", path_info="/"
        ),  # fmt: skip
    }
    return users, objects, leg_cramps


# The cases, from the admin's own URL lists.


@dataclasses.dataclass(frozen=True)
class Case:
    area: str
    page: str
    url: str

    def __str__(self):
        return f"{self.area} {self.page} ({self.url})"


def page_of(pattern: URLPattern, model_admin) -> str:
    if pattern.name is None:
        return "redirect" if model_admin else "catch_all"
    if model_admin is None:
        return pattern.name
    return pattern.name.removeprefix(f"{model_admin.opts.app_label}_{model_admin.opts.model_name}_")


def model_admin_cases(objects) -> list[Case]:
    cases = []
    for model, model_admin in admin.site._registry.items():
        if model is Article:
            continue  # test_admin_permission_matrix.py
        label = model._meta.label
        assert label in objects, f"{label} has an admin: add it to the world and to the role table."
        for pattern in model_admin.get_urls():
            names = parameters(pattern)
            unknown = set(names) - {"object_id", "id"}
            assert not unknown, f"{label} admin URL {pattern.pattern} takes {sorted(unknown)}: teach this test."
            pk = objects[label].pk
            page = page_of(pattern, model_admin)
            if pattern.name:
                url = reverse(f"admin:{pattern.name}", args=[pk] * len(names))
            else:  # "<object_id>/": a redirect to the change page, which then asks
                url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") + f"{pk}/"
            cases.append(Case(label, page, url))
    return cases


def site_cases(leg_cramps) -> list[Case]:
    cases = []
    for pattern in admin.site.get_urls():
        if not isinstance(pattern, URLPattern):
            continue  # each ModelAdmin's include: model_admin_cases
        page = page_of(pattern, None)
        match page:
            case "app_list":
                cases += [Case("site", f"app_list {app}", reverse("admin:app_list", args=[app])) for app in APP_INDEX]
            case "view_on_site":
                content_type = ContentType.objects.get_for_model(Article)
                cases.append(Case("site", page, reverse("admin:view_on_site", args=[content_type.pk, leg_cramps.pk])))
            case "autocomplete":
                query = "?app_label=encyclopedia&model_name=article&field_name=related&term=c"
                cases.append(Case("site", page, reverse("admin:autocomplete") + query))
            case "catch_all":
                cases.append(Case("site", page, reverse("admin:index") + "no/such/page/"))
            case _:
                assert not parameters(pattern), f"The admin site's {pattern.pattern} takes parameters: teach this test."
                cases.append(Case("site", page, reverse(f"admin:{page}")))
    # Ours, mounted under the admin path in config/urls.py.
    cases.append(Case("site", "markdown_preview", reverse("markdown_preview")))
    return cases


# What each role gets.

LOGIN, ALLOWED, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = "login", "allowed", "403", "404", "405"


def outcome(response) -> str:
    if response.status_code == 302 and "/login/" in response["Location"]:
        return LOGIN
    if response.status_code in {403, 404, 405}:
        return str(response.status_code)
    assert response.status_code in {200, 302, 400}, response.status_code
    return ALLOWED


def expected(role: str, case: Case, method: str) -> str:
    if case.page in OPEN:
        if case.page == "catch_all":
            return LOGIN if role == "anonymous" else NOT_FOUND
        if case.page == "logout" and method == "GET" and role != "anonymous":
            return NOT_ALLOWED  # signing out is a POST (anonymous visitors are sent to the admin home, then login)
        return ALLOWED
    if case.page == "markdown_preview":  # a script's endpoint: no login page, and POST only
        if method == "GET":
            return NOT_ALLOWED
        return ALLOWED if role in TABLE[case.area, case.page][method] else FORBIDDEN
    if role == "anonymous":
        return LOGIN
    if case.page == "redirect":
        return ALLOWED  # only sends on to the change page, which then asks
    if case.page.startswith("app_list "):
        return ALLOWED if role in APP_INDEX[case.page.removeprefix("app_list ")] else NOT_FOUND
    if case.page in GET_ONLY and method == "POST":
        return NOT_ALLOWED
    rule = TABLE.get((case.area, case.page))
    assert rule is not None, f"No rule for {case}: add it to the role table (here and in the README)."
    return ALLOWED if role in rule[method] else FORBIDDEN


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_url_outside_the_article_admin_answers_each_role_as_the_role_table_says(world, role):
    users, objects, leg_cramps = world
    problems = []
    for case in [*site_cases(leg_cramps), *model_admin_cases(objects)]:
        for method in ("GET", "POST"):

            def one(case=case, method=method):
                client = csrf_client(users[role])  # afresh: a POST to "log out" ends the session
                return outcome(client.get(case.url) if method == "GET" else post(client, case.url, {}))

            got, want = in_savepoint(one), expected(role, case, method)
            if got != want:
                problems.append(f"{method} {case}: answered {got}, expected {want}")
    assert not problems, f"{len(problems)} answer(s) differ from the role table:\n" + "\n".join(problems)


def test_an_editor_sees_no_vote_or_feedback_figures_in_the_article_list(writer, leg_cramps):
    client = csrf_client(writer)
    page = client.get(reverse("admin:encyclopedia_article_changelist")).content.decode()
    assert "Leg cramps" in page
    assert "column-useful_share" not in page and "column-feedback_count" not in page
    change = client.get(reverse("admin:encyclopedia_article_change", args=[leg_cramps.pk])).content.decode()
    assert "Reader feedback" not in change and "no answers yet" not in change


def test_a_superuser_sees_the_figures_in_the_article_list(admin_client, leg_cramps):
    page = admin_client.get(reverse("admin:encyclopedia_article_changelist")).content.decode()
    assert "column-useful_share" in page and "column-feedback_count" in page
    change = admin_client.get(reverse("admin:encyclopedia_article_change", args=[leg_cramps.pk])).content.decode()
    assert "Reader feedback" in change
