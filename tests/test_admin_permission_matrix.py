"""Who may do what in the article admin, tried on every URL the admin serves: readers only ever see what a
Medical reviewer approved.

The URLs are generated from the admin's own list (`ArticleAdmin.get_urls()`, django-reversion's revision and
recover views included, plus the site's related-field autocomplete): a URL added later is in the matrix at
once, and a parameter this module cannot fill fails loudly. Each URL is filled with every object it can be
asked about (a draft, an article in review, a published and a scheduled article, a working copy in draft and
one in review) and every version (this article's, another article's, a FAQ's with the same object id, a
deleted article's, nonsense).

Every role sends GET and an empty POST (with a valid CSRF token) to every URL, and the workflow views also
get the POSTs that would perform their step. After every request, what readers can see (`reader_snapshot`)
must be exactly as before, except for a reviewer's or superuser's explicit steps, which must change it exactly
as the workflow's own function does. Each request runs in a savepoint rolled back after it, so every request
starts from the same world.

Matrix: 95 URLs × 5 roles × GET/POST = 950 requests, plus 59 step POSTs per role (295): 1,245 requests.
"""

import dataclasses
import datetime
from collections.abc import Callable

import pytest
import reversion
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.management.color import no_style
from django.db import connection
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone
from reversion.models import Version

from editorial import workflow
from editorial.content import FIELDS, PARTS
from encyclopedia.models import FAQ, Article, ArticleRedirect, Kind, MedicalCode, Source, Status

from .admin_urls import csrf_client, in_savepoint, parameters, post
from .conftest import make_article
from .test_admin import article_form_data, change_form_data

# Permissions and the workflow, through the admin: nothing here differs between database engines.
pytestmark = [pytest.mark.django_db, pytest.mark.engine_independent]

# The role table, as built. "step" is the step page (unpublish, record a review); "in place" means the change
# form of the article itself. Every refusal leaves readers' view unchanged; so does everything an Editor does.
#
#                          anonymous   triager   Editor                          reviewer / superuser
# list, change page, history,
#   compare, preview, revision  login       403       yes (read-only for in review    yes (read-only for published
#                                                     and published)                  and scheduled)
# preview unsaved changes       login       403       what it may change              what it may change
# add, change a draft or a
#   draft working copy          login       403       yes                             yes
# change in review in place     login       403       no                              yes
# change published in place     login       403       no                              no (a working copy instead)
# start a working copy          login       403       yes                             yes
# discard a working copy        login       403       draft copy only                 yes
# restore a revision            login       403       yes, into the copy or draft     yes, into the copy or draft
# approve / request changes     login       403       no                              yes
# step page: unpublish, review  login       403       no                              yes
# delete, recover, recover list login       403       no                              yes (with a comment)
# reading check (POST only)     login       403       yes (it only measures)          yes
ROLES = ("anonymous", "triager", "editor", "reviewer", "superuser")
PUBLISHERS = {"reviewer", "superuser"}

OLD = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC)
AUTHOR = [None]  # who saves the world's revisions (revisions without a user: see the test at the end)
MARKER = "Zebrafinch"  # only in unapproved text: it must never reach readers


# The world every request starts from.


@dataclasses.dataclass
class World:
    users: dict[str, object]
    objects: dict[str, Article]  # what an object_id can point at
    versions: dict[str, Callable[[str | None], int]]  # version_id by kind, for the object of the URL
    addresses: list[str]  # reader addresses whose answer is part of the snapshot
    built_at: datetime.datetime
    answers: dict = dataclasses.field(default_factory=dict)  # reader answers by the rows they follow from


def article(status: Status, **fields) -> Article:
    """An article with a stored revision (so it has a version of its own to restore)."""
    with reversion.create_revision():
        reversion.set_user(AUTHOR[0])
        created = make_article(status=status, published_at=fields.pop("published_at", OLD if status == "published"
                                                                      else None), updated_at=OLD, **fields)  # fmt: skip
    return created


def faq_version_with_object_id(object_id: int) -> int:
    """A FAQ's version whose object_id is `object_id`: only the content-type check can refuse it."""
    faq = FAQ.objects.filter(pk=object_id).first()
    with reversion.create_revision():
        reversion.set_user(AUTHOR[0])
        if faq is None:
            owner = Article.objects.order_by("pk").first()
            faq = FAQ.objects.create(pk=object_id, article=owner, position=99, question="Stray?", answer="Stray.")
            # An id given by hand leaves PostgreSQL's counter behind: the next FAQ would take the same id.
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), [FAQ]):
                    cursor.execute(statement)
        else:
            faq.save()
    return Version.objects.get_for_object(faq).first().pk


def build_world(django_user_model) -> World:
    def staff(username, role):
        user = django_user_model.objects.create_user(username, f"{username}@example.org", "pw", is_staff=True)
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    users = {
        "anonymous": None,
        "triager": staff("dan", "Feedback triager"),
        "editor": staff("bob", "Editor"),
        "reviewer": staff("carol", "Medical reviewer"),
        "superuser": django_user_model.objects.create_superuser("root", "root@example.org", "pw"),
    }
    AUTHOR[0] = users["editor"]
    neighbour = article(Status.PUBLISHED, title="Calf pain", faqs=(("Why?", "Because."),))
    published = article(
        Status.PUBLISHED, title="Leg cramps", kind=Kind.SYMPTOM, alternative_names=("Charley horse",),
        faqs=(("How long?", "Minutes."),),
    )  # fmt: skip
    published.related.add(neighbour)
    # Every part readers see, so that a request changing any of them is caught by the snapshot.
    Source.objects.create(article=published, title="Leg cramps", publisher="NHS", url="https://www.nhs.uk/")
    MedicalCode.objects.create(article=published, system="icd10cm", code="R25.2", description="Cramp and spasm")
    workflow.article_record_review(article=published, by=users["reviewer"])
    corrected = article(Status.PUBLISHED, title="Gout", kind=Kind.CONDITION)
    copy = workflow.article_start_working_copy(article=corrected, by=users["editor"])
    copy.body = f"## Causes\n\n{MARKER} in the draft copy."
    copy.save()
    submitted = article(Status.PUBLISHED, title="Asthma", kind=Kind.CONDITION)
    copy_in_review = workflow.article_start_working_copy(article=submitted, by=users["editor"])
    copy_in_review.body = f"## Causes\n\n{MARKER} in the copy in review."
    copy_in_review.save()
    workflow.article_submit_for_review(article=copy_in_review, by=users["editor"])
    objects = {
        "draft": article(Status.DRAFT, title="Cramp draft", body=f"{MARKER} draft."),
        "in review": article(Status.IN_REVIEW, title="Cramp in review", body=f"{MARKER} in review."),
        "published": published,
        "scheduled": article(Status.PUBLISHED, title="Later", published_at=timezone.now() + datetime.timedelta(days=9)),
        "working copy": copy,
        "copy in review": copy_in_review,
    }
    gone = article(Status.PUBLISHED, title="Gone")
    workflow.article_delete(article=gone, by=users["reviewer"], comment="Duplicate.")
    deleted_version = workflow.deleted_article_versions()[0].pk
    faq_versions = {pk: faq_version_with_object_id(pk) for pk in [obj.pk for obj in objects.values()]}

    def own_version(object_key: str | None) -> int:
        target = objects[object_key or "published"]
        with reversion.create_revision():
            reversion.set_user(AUTHOR[0])
            target.save()
        return Version.objects.get_for_object(target).first().pk

    own = {key: own_version(key) for key in objects}
    other = Version.objects.get_for_object(neighbour).first().pk
    versions = {
        "this article's": lambda key: own[key or "published"],
        "another article's": lambda key: other,
        "a FAQ's, same object id": lambda key: faq_versions[objects[key or "published"].pk],
        "a deleted article's": lambda key: deleted_version,
        "nonsense": lambda key: 987654,
    }
    addresses = sorted(
        {a.get_absolute_url() for a in Article.objects.all()} | {"/symptoms/hiccups/", gone.get_absolute_url()}
    )
    for obj in objects.values():
        obj.refresh_from_db()
    return World(users, objects, versions, addresses, timezone.now())


# What readers can see.


def reader_snapshot(world: World) -> dict:
    """Everything a reader can see: every published (or scheduled) article's content (its fields and parts, as
    editorial.content's ArticleContent reads them), its published related articles, status, dates and review
    data, and how each known address answers. Read in a fixed number of queries however many articles there
    are (the articles, each part, the related pairs): this runs after every one of the matrix's requests."""

    def when(value):
        # A time set by the request under test (approving a draft stamps "published at") reads as "now".
        if isinstance(value, datetime.datetime) and value >= world.built_at:
            return "now"
        return value

    live_articles = list(Article.objects.filter(status=Status.PUBLISHED).order_by("pk"))
    pks = [live.pk for live in live_articles]
    # Each part as ArticleContent.of_article reads it (the copied fields, in pk order), grouped by article.
    parts = {name: {pk: [] for pk in pks} for name in PARTS}
    for name, (model, copied) in PARTS.items():
        for row in model.objects.filter(article__in=pks).order_by("pk").values("article_id", *copied):
            parts[name][row.pop("article_id")].append(row)
    # Readers see published related articles only (a working copy is related to its live article's related
    # articles, symmetrically, but never shown).
    related = {pk: [] for pk in pks}
    pairs = Article.related.through.objects.filter(to_article__in=pks, from_article__in=Article.objects.published())
    for live_pk, shown_pk in pairs.order_by("from_article").values_list("to_article", "from_article"):
        related[live_pk].append(shown_pk)
    articles = {
        live.pk: {
            **{name: when(getattr(live, name)) for name in FIELDS},
            **{name: rows_of[live.pk] for name, rows_of in parts.items()},
            "related": related[live.pk],
            "status": live.status,
            "published_at": when(live.published_at),
            "review": (live.last_reviewed_on, live.reviewed_by_id, live.next_review_due),
        }
        for live in live_articles
    }
    # How addresses answer follows from the articles' rows and the redirects: asked again only when they
    # changed (a reader's GET costs more than the admin request under test).
    rows = (
        tuple(
            Article.objects.order_by("pk").values_list("pk", "kind", "slug", "status", "published_at", "live_article")
        ),
        tuple(ArticleRedirect.objects.order_by("pk").values_list("kind", "slug", "article")),
    )
    if rows not in world.answers:
        reader = Client()
        caches["default"].clear()
        world.answers[rows] = {address: reader.get(address).status_code for address in world.addresses}
        caches["default"].clear()
    return {"articles": articles, "addresses": world.answers[rows]}


# The URLs, from the admin's own list.

ADMIN = admin.site._registry[Article]
URL_PREFIX = "admin:"


@dataclasses.dataclass(frozen=True)
class Case:
    view: str  # the pattern's name (or its route, for the unnamed redirect)
    route: str = ""
    object_key: str | None = None
    version_key: str | None = None

    def __str__(self):
        return " / ".join(part for part in (self.view, self.object_key, self.version_key) if part)


def view_name(pattern: URLPattern) -> str:
    return (pattern.name or f"unnamed {pattern.pattern}").removeprefix("encyclopedia_article_")


KNOWN = {"object_id", "version_id"}


def cases_of(pattern: URLPattern, object_keys, version_keys) -> list[Case]:
    names = parameters(pattern)
    unknown = set(names) - KNOWN
    assert not unknown, (
        f"The article admin URL {pattern.pattern} ({pattern.name}) takes {sorted(unknown)}, which this matrix "
        f"does not know how to fill: teach `cases_of` and `url_of` what to put there."
    )
    objects = object_keys if "object_id" in names else [None]
    versions = version_keys if "version_id" in names else [None]
    return [Case(view_name(pattern), str(pattern.pattern), obj, ver) for obj in objects for ver in versions]


OBJECT_KEYS = ["draft", "in review", "published", "scheduled", "working copy", "copy in review"]
VERSION_KEYS = ["this article's", "another article's", "a FAQ's, same object id", "a deleted article's", "nonsense"]
PATTERNS = {str(pattern.pattern): pattern for pattern in ADMIN.get_urls()}
CASES = [
    *[case for pattern in ADMIN.get_urls() for case in cases_of(pattern, OBJECT_KEYS, VERSION_KEYS)],
    Case("autocomplete"),  # the related-articles field's, on the admin site
]


def url_of(case: Case, world: World) -> str:
    if case.view == "autocomplete":
        return reverse("admin:autocomplete") + "?app_label=encyclopedia&model_name=article&field_name=related&term=c"
    pattern = PATTERNS[case.route]
    values = {
        "object_id": world.objects[case.object_key].pk if case.object_key else None,
        "version_id": world.versions[case.version_key](case.object_key) if case.version_key else None,
    }
    args = [values[name] for name in parameters(pattern)]
    if pattern.name:
        return reverse(URL_PREFIX + pattern.name, args=args)
    # The unnamed "<object_id>/" redirect to the change page.
    route = str(pattern.pattern)
    for name, value in zip(parameters(pattern), args, strict=True):
        route = route.replace(f"<path:{name}>", str(value))
    return reverse("admin:encyclopedia_article_changelist") + route


# The requests: GET, an empty POST, and the POSTs that would perform each workflow step.


@dataclasses.dataclass(frozen=True)
class Step:
    name: str
    data: Callable[[World, Case], dict]
    # The same step through the gate directly, for what readers should see after it (None: nothing changes).
    effect: Callable[[World, Case, object], None] | None = None


def form_of(world: World, case: Case, **changes) -> dict:
    obj = world.objects[case.object_key]
    obj.refresh_from_db()
    data = change_form_data(obj, **changes)
    data["related"] = [str(pk) for pk in obj.related.values_list("pk", flat=True)]
    return data


def approve(world, case, user):
    workflow.article_approve_and_publish(article=world.objects[case.object_key], by=user, comment="x")


STEPS: dict[str, list[Step]] = {
    "step": [
        Step("unpublish", lambda w, c: {"transition": "unpublish", "workflow_comment": "x"},
             lambda w, c, u: workflow.article_unpublish(article=w.objects[c.object_key], by=u, comment="x")),
        Step("record a review", lambda w, c: {"transition": "review", "workflow_comment": "x"},
             lambda w, c, u: workflow.article_record_review(article=w.objects[c.object_key], by=u, comment="x")),
    ],
    "delete": [Step("delete with a comment", lambda w, c: {"comment": "x"},
                    lambda w, c, u: workflow.article_delete(article=w.objects[c.object_key], by=u, comment="x"))],
    "discard": [Step("discard with a comment", lambda w, c: {"comment": "x"})],
    "recover": [Step("recover with a comment", lambda w, c: {"comment": "x"},
                     lambda w, c, u: workflow.article_recover(
                         version=Version.objects.get(pk=w.versions[c.version_key](None)), by=u, comment="x")
                     if c.version_key == "a deleted article's" else None)],
    "change": [
        Step("save a change", lambda w, c: form_of(w, c, body=f"{MARKER} saved in place.")),
        Step("save and approve", lambda w, c: form_of(w, c, transition="approve", workflow_comment="x"), approve),
        Step("request changes", lambda w, c: form_of(w, c, transition="request_changes", workflow_comment="x")),
    ],
    "preview": [Step("preview unsaved text", lambda w, c: form_of(w, c, body=f"{MARKER} previewed."))],
    "add": [Step("add and approve", lambda w, c: article_form_data(transition="approve", workflow_comment="x"),
                 lambda w, c, u: NEW_ARTICLE)],
    "changelist": [
        Step(f"bulk {action}", lambda w, c, action=action, key=key: {
            "action": action, "_selected_action": [str(w.objects[key].pk)], "index": "0"},
             (lambda w, c, u, name=name, key=key: workflow.TRANSITIONS[name](article=w.objects[key], by=u))
             if name else None)
        for action, name, key in [
            ("approve_and_publish", "approve", "draft"), ("unpublish", "unpublish", "published"),
            ("record_review", "review", "published"), ("submit_for_review", None, "draft"),
            ("delete_selected", None, "published"),
        ]
    ],
}  # fmt: skip


NEW_ARTICLE = object()  # the add form's approve: one new published article, /symptoms/hiccups/


def is_new_article_only(before: dict, after: dict) -> bool:
    new = {pk: content for pk, content in after["articles"].items() if pk not in before["articles"]}
    old = {pk: content for pk, content in after["articles"].items() if pk in before["articles"]}
    return (
        old == before["articles"]
        and [(c["title"], c["slug"], c["status"]) for c in new.values()] == [("Hiccups", "hiccups", "published")]
        and after["addresses"] == {**before["addresses"], "/symptoms/hiccups/": 200}
    )


def steps_for(case: Case) -> list[Step]:
    if case.view == "preview" and case.object_key is None:
        return []  # the add form's preview: below, with the add form's data
    return STEPS.get(case.view, [])


# What each role should get.

LOGIN = "login"
FORBIDDEN = "403"
NOT_FOUND = "404"
OK = "ok"  # 200, or a redirect to a page other than the login page, without an error message
REFUSED = "refused"  # the gate said no: an error message, on the page or after a redirect
INVALID = "invalid"  # the form was shown again with its errors: nothing saved
REDIRECT = "redirect"  # to another admin page (the unnamed "<object_id>/" → its change page)


def outcome(response) -> str:
    if response.status_code == 302 and "/login/" in response["Location"]:
        return LOGIN
    if response.status_code in {403, 404}:
        return str(response.status_code)
    if response.status_code == 405:
        return "405"
    if response.status_code == 400:  # the preview of a form that does not validate
        return INVALID
    assert response.status_code in {200, 302}, response.status_code
    storage = response.wsgi_request._messages  # shown on the page (loaded) or kept for the next one (queued)
    if any(message.level == messages.ERROR for message in [*storage._loaded_messages, *storage._queued_messages]):
        return REFUSED
    context = response.context
    if response.status_code == 200 and context is not None and context.get("errors"):
        return INVALID
    return OK


# The requests of one role on one case, each in its own savepoint.


def requests_of(case: Case) -> list[tuple[str, Step | None]]:
    return [("GET", None), ("POST", None), *[("POST", step) for step in steps_for(case)]]


@pytest.fixture
def world(django_user_model) -> World:
    return build_world(django_user_model)


def run(world: World, role: str, case: Case):
    """[(request, outcome, reader snapshot after it, reader snapshot the step should leave)]."""
    client = csrf_client(world.users[role])
    url = url_of(case, world)
    before = reader_snapshot(world)
    results = []
    for method, step in requests_of(case):

        def one(method=method, step=step):
            data = step.data(world, case) if step else {}
            client.cookies.pop("messages", None)
            response = client.get(url) if method == "GET" else post(client, url, data)
            return outcome(response), reader_snapshot(world)

        got, after = in_savepoint(one)
        expected_after = before
        if step and step.effect and role in PUBLISHERS:

            def direct(step=step):
                try:
                    if step.effect(world, case, world.users[role]) is NEW_ARTICLE:
                        return NEW_ARTICLE
                except (workflow.ValidationError, workflow.PermissionDenied):
                    return before
                return reader_snapshot(world)

            expected_after = in_savepoint(direct)
        name = f"{method} {url}" + (f" ({step.name})" if step else "")
        results.append((name, got, after, expected_after, before))
    return results


def expected_answer(role: str, case: Case, method: str, step: Step | None) -> str:
    """The role table above, as the admin answers it."""
    view, obj, posted = case.view, case.object_key, method == "POST"
    if role == "anonymous":
        return LOGIN
    if view == "autocomplete" and posted:
        return "405"  # GET only, asked before the permission
    copy = obj in {"working copy", "copy in review"}
    # Views that look their object up before asking who is asking: an object they never serve is a 404.
    if (view in {"working_copy", "delete"} and copy) or (view == "discard" and obj and not copy):
        return NOT_FOUND
    if view.startswith("unnamed"):
        return OK  # "<object_id>/" only redirects to the change page, which then asks
    if role == "triager":
        return FORBIDDEN
    publisher = role in PUBLISHERS
    live = obj in {"published", "scheduled"}
    in_review = obj in {"in review", "copy in review"}
    match view:
        case "preview" if obj is None:
            return INVALID if posted else "405"
        case "preview":
            # Unsaved text is previewed only by someone who could save it.
            changeable = obj in {"draft", "working copy"} or (publisher and in_review)
            if posted and not changeable:
                return FORBIDDEN
            return INVALID if posted and not step else OK
        case "compare" | "history" | "changelist":
            return OK
        case "autocomplete":
            return OK
        case "reading":
            return OK if posted else "405"
        case "working_copy":
            return FORBIDDEN if not posted else OK if live else REFUSED
        case "step":
            if not step:
                return FORBIDDEN
            if not publisher or copy:
                return REFUSED
            return OK if step.name == "record a review" or live else REFUSED
        case "discard":
            return FORBIDDEN if not posted else OK if publisher or not in_review else REFUSED
        case "recoverlist":
            return OK if publisher else FORBIDDEN
        case "recover":
            if not publisher:
                return FORBIDDEN
            if case.version_key != "a deleted article's":
                return NOT_FOUND
            return REFUSED if posted and not step else OK
        case "revision":
            if case.version_key != "this article's":
                return NOT_FOUND
            return REFUSED if posted and in_review and not publisher else OK
        case "add":
            if not posted:
                return OK
            return OK if step and publisher else INVALID
        case "delete":
            if not publisher:
                return FORBIDDEN
            return REFUSED if posted and not step else OK
        case "change":
            in_place = obj in {"draft", "working copy"} or (publisher and in_review)
            if not posted:
                return OK
            if not in_place:
                return FORBIDDEN
            if not step:
                return INVALID
            if step.name == "save and approve":
                return OK if publisher else INVALID
            if step.name == "request changes":
                return OK if publisher and in_review else INVALID
            return OK
    raise AssertionError(f"No expected answer for {view}: add it to the role table and to expected_answer.")


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_url_answers_each_role_as_the_role_table_says_and_readers_see_only_approved_text(world, role):
    problems = []
    for case in CASES:
        requests = requests_of(case)
        for (method, step), (name, got, after, expected_after, before) in zip(
            requests, run(world, role, case), strict=True
        ):
            want = expected_answer(role, case, method, step)
            if got != want:
                problems.append(f"{case}: {name} answered {got}, expected {want}")
            if expected_after is NEW_ARTICLE:
                if not is_new_article_only(before, after):
                    problems.append(f"{case}: {name} did not add exactly one published article")
            elif after != expected_after:
                changed = sorted(k for k in {*after["articles"], *before["articles"]}
                                 if after["articles"].get(k) != expected_after["articles"].get(k))  # fmt: skip
                problems.append(f"{case}: {name} left readers a different site than expected (articles {changed}, "
                                f"addresses {after['addresses'] != expected_after['addresses']})")  # fmt: skip
    assert not problems, f"{len(problems)} case(s) differ from the role table:\n" + "\n".join(problems)


def test_history_of_an_imported_article_opens(django_user_model):
    reviewer = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    with reversion.create_revision():  # as import_articles: a comment, no user
        imported = make_article(status=Status.DRAFT)
        reversion.set_comment("Imported from articles")
    client = Client()
    client.force_login(reviewer)
    assert client.get(reverse("admin:encyclopedia_article_history", args=[imported.pk])).status_code == 200
