"""Hostile requests against the site's real addresses: data for tests/test_hostile_requests.py.

Each `Case` is one request as it arrives from the network, before Django has tidied anything:
`target` is the request line's target, one character per byte on the wire (so "\\xff" is the raw
byte 0xff and "%ff" its percent-encoded form), and the test decodes it the way a WSGI server
does (percent-decoded path, raw query string). `expect` holds the statuses the site may answer;
500 is never among them. `page` says the answer must be one of the site's own HTML pages.

Placeholders filled in by the test: `{article}` (the stable identifier of the published article
at ARTICLE) and `{started}` (a valid fill-time stamp for the feedback form); `{csrf}` (the
admin's CSRF token, with its cookie) when `csrf` is set.
"""

from dataclasses import dataclass, field
from urllib.parse import quote

KB = 1024
ARTICLE = "/symptoms/leg-cramps/"
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data; boundary=XyZ"
# A feedback message that the form accepts, and the same form with one field changed.
GOOD_FEEDBACK = {"category": "suggestion", "message": "Please add an article on gout.", "started": "{started}"}


@dataclass(frozen=True)
class Case:
    id: str
    target: str
    expect: frozenset[int]
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    content_type: str | None = None
    page: bool = False  # the answer is the site's own HTML page (header, main landmark), not a bare error
    # Django records some refusals (a foreign Host, too many fields) as security events at ERROR
    # level on django.security.<name>: the one ERROR record such a case expects.
    security_log: str | None = None
    csrf: bool = False  # fetch the admin's CSRF cookie and token first
    staff: str | None = None  # sent by this logged-in member of staff: a persona fixture of tests/conftest.py
    must_not_contain: tuple[bytes, ...] = ()


def statuses(*codes: int) -> frozenset[int]:
    return frozenset(codes)


def get(id: str, target: str, *expect: int, page: bool = True, **options) -> Case:
    return Case(id=id, target=target, expect=statuses(*expect), page=page, **options)


def api(id: str, target: str, *expect: int, **options) -> Case:
    """A read-API request: the answer is JSON, never one of the HTML pages."""
    return Case(id=id, target=target, expect=statuses(*expect), **options)


def staff(persona: str, id: str, target: str, *expect: int, **options) -> Case:
    """A request to the admin by the person whose work the page is (a persona fixture): odd filters
    get the admin's own answers, never a 500."""
    return Case(id=id, target=target, expect=statuses(*expect), staff=persona, **options)


def form_body(fields: dict[str, str]) -> bytes:
    """An urlencoded body; values are percent-encoded as given, so "%00" stays a NUL on the wire."""
    return "&".join(f"{name}={value}" for name, value in fields.items()).encode("latin-1")


def feedback_post(id: str, fields: dict[str, str], *expect: int, page: bool = True, **options) -> Case:
    options.setdefault("headers", SAME_ORIGIN)
    options.setdefault("content_type", FORM)
    options.setdefault("body", form_body(fields))
    return Case(id=id, target="/feedback/", method="POST", expect=statuses(*expect), page=page, **options)


def vote_post(id: str, fields: dict[str, str], *expect: int, **options) -> Case:
    options.setdefault("headers", SAME_ORIGIN)
    options.setdefault("content_type", FORM)
    options.setdefault("body", form_body(fields))
    return Case(id=id, target="/feedback/vote/", method="POST", expect=statuses(*expect), **options)


def multipart(*parts: bytes, boundary: bytes = b"XyZ") -> bytes:
    return b"".join(b"--" + boundary + b"\r\n" + part + b"\r\n" for part in parts) + b"--" + boundary + b"--\r\n"


def part(name: str, value: str, *, extra_headers: bytes = b"") -> bytes:
    return f'Content-Disposition: form-data; name="{name}"\r\n'.encode() + extra_headers + b"\r\n" + value.encode()


GOOD_PARTS = [part(name, value) for name, value in GOOD_FEEDBACK.items()]
FEEDBACK_ADMIN = "/admin/editorial/feedback/"
TRAVERSAL_LEAKS = (b"SECRET_KEY", b"root:x:0:0", b"import dj_database_url")
HUGE_NUMBER = "999999999999999999999"
DIGITS_5000 = "9" * 5000  # beyond Python's limit for int() on a string (4,300 digits)

# Kept one request to a line or two, as written, rather than one argument to a line.
# fmt: off
CASES: list[Case] = [
    # Very long values ----------------------------------------------------------------------
    get("home: 100 KB query value", "/?q=" + "a" * 100 * KB, 200),
    get("search: 100 KB query value", "/search/?q=" + "cramp%20" * (100 * KB // 8), 200),
    get("search: 100 KB of markup in the query", "/search/?q=" + quote("<script>alert(1)</script>") * 2500, 200),
    get("search: 100 KB of quotes and minus signs", "/search/?q=" + "%22-" * (100 * KB // 4), 200),
    get("A-Z: 100 KB letter", "/symptoms/?letter=" + "A" * 100 * KB, 404),
    get("article: 10 KB slug", "/symptoms/" + "a" * 10 * KB + "/", 404),
    get("site page: 10 KB path segment", "/" + "x" * 10 * KB + "/", 404),
    get("unknown path: 10 KB segment without slash", "/" + "x" * 10 * KB, 301, page=False),  # then a 404
    api("api: 10 KB slug", "/api/v1/articles/symptoms/" + "a" * 10 * KB + "/", 404),
    api("api search: 100 KB query", "/api/v1/search/?q=" + "a" * 100 * KB, 400),
    get("article: 100 KB User-Agent", ARTICLE, 200, headers={"User-Agent": "Mozilla/5.0 " + "A" * 100 * KB}),
    get("home: 100 KB Cookie header", "/", 200,
        headers={"Cookie": "; ".join(f"c{n}=" + "v" * 100 for n in range(1000))}),
    get("feedback form: 100 KB Referer", "/feedback/", 200,
        headers={"Referer": "https://example.org/" + "r" * 100 * KB}),
    get("feedback form: 10 KB vote token", "/feedback/?vote=" + "a:b" * 3 * KB, 200),
    get("admin login: 100 KB next", "/admin/login/?next=/" + "n" * 100 * KB, 200, page=False),
    # NUL bytes --------------------------------------------------------------------------------
    get("path: NUL segment", "/%00/", 404),
    get("article: NUL after the slug", ARTICLE.rstrip("/") + "%00/", 404),
    get("A-Z: NUL in the kind", "/symptoms%00/", 404),
    api("api: NUL slug", "/api/v1/articles/symptoms/%00/", 404),
    get("search: NUL inside a word", "/search/?q=leg%00cramps", 200),
    get("search: NUL in every parameter", "/search/?q=%00&kind=%00&page=%00", 200),
    get("A-Z: NUL letter", "/symptoms/?letter=%00", 404),
    get("A-Z: NUL page", "/symptoms/?page=%00", 200),
    get("feedback form: NUL article and vote", "/feedback/?article=%00&vote=%00", 200),
    get("feedback thanks: NUL article", "/feedback/thanks/?article=%00", 200),
    api("api search: NUL query", "/api/v1/search/?q=%00", 400),
    api("api lookup: NUL inside a code", "/api/v1/lookup/?system=icd10cm&code=R25%002", 400),
    api("api list: NUL kind", "/api/v1/articles/?kind=%00", 400),
    api("suggestions: NUL query", "/search/suggest/?q=%00%00%00leg", 200),
    get("admin login: NUL next", "/admin/login/?next=%00", 200, page=False),
    get("cookie: NUL in the session id", "/admin/login/", 200, page=False,
        headers={"Cookie": 'sessionid="abcdefgh\\000ijklmnop"'}),
    get("cookie: NUL in the session id on an article", ARTICLE, 200,
        headers={"Cookie": 'sessionid="abcdefgh\\000ijklmnop"'}),
    feedback_post("feedback: NUL in the message", {**GOOD_FEEDBACK, "message": "Add%00gout please"}, 400),
    feedback_post("feedback: NUL in the name", {**GOOD_FEEDBACK, "name": "Sam%00"}, 400),
    feedback_post("feedback: NUL in the email", {**GOOD_FEEDBACK, "email": "sam%00@example.org"}, 400),
    feedback_post("feedback: NUL category", {**GOOD_FEEDBACK, "category": "%00"}, 400),
    feedback_post("feedback: NUL article", {**GOOD_FEEDBACK, "article": "%00"}, 400),
    feedback_post("feedback: NUL fill-time stamp", {**GOOD_FEEDBACK, "started": "%00"}, 400),
    feedback_post("follow-up: NUL vote token", {"vote": "%00", "message": "Better pictures."}, 400),
    vote_post("vote: NUL article", {"article": "%00", "helpful": "yes"}, 400),
    vote_post("vote: NUL answer", {"article": "{article}", "helpful": "%00"}, 400),
    # Invalid UTF-8 and lone surrogates ---------------------------------------------------------
    get("path: percent-encoded invalid UTF-8", "/%ff%fe/", 404),
    get("path: raw invalid UTF-8 bytes", "/\xff\xfe/", 404),
    get("path: overlong slash", "/symptoms/%c0%af/", 404),
    get("path: overlong dots and slashes", "/%c0%ae%c0%ae%c0%afconfig/", 404),
    get("path: lone surrogate", "/%ed%a0%80/", 404),
    get("article: invalid UTF-8 after the slug", ARTICLE + "%ff", 404),
    api("api: invalid UTF-8 path", "/api/v1/%ff%fe/", 404),
    get("search: percent-encoded invalid UTF-8", "/search/?q=%ff%fe", 200),
    get("search: raw invalid UTF-8 bytes", "/search/?q=\xff\xfeleg", 200),
    get("search: overlong encoding", "/search/?q=%c0%af%c0%ae", 200),
    get("search: lone surrogates", "/search/?q=%ed%a0%80leg%ed%b2%80", 200),
    get("search: invalid UTF-8 kind", "/search/?q=leg&kind=%ff", 200),
    get("A-Z: invalid UTF-8 letter", "/symptoms/?letter=%ff", 404),
    get("suggestions: lone surrogate", "/search/suggest/?q=le%ed%a0%80g", 200, page=False),
    api("api search: lone surrogate", "/api/v1/search/?q=%ed%a0%80", 200),
    api("api list: invalid UTF-8 kind", "/api/v1/articles/?kind=%ff%fe", 400),
    api("api lookup: invalid UTF-8 code", "/api/v1/lookup/?system=icd10cm&code=%c0%af", 400),
    feedback_post("feedback: lone surrogate in the message", {**GOOD_FEEDBACK, "message": "Gout %ed%a0%80 please"}, 302,
                  page=False),
    feedback_post("feedback: invalid UTF-8 in the name", {**GOOD_FEEDBACK, "name": "%ff%fe"}, 302, page=False),
    # Repeated parameters ----------------------------------------------------------------------
    get("search: repeated q and page", "/search/?q=a&q=b&page=1&page=x", 200),
    get("search: repeated kind", "/search/?q=leg&kind=condition&kind=symptom&kind=%00", 200),
    get("A-Z: repeated letter and page", "/symptoms/?letter=A&letter=L&page=1&page=x", 200),
    get("feedback form: repeated article", "/feedback/?article=x&article={article}", 200),
    api("api list: repeated page", "/api/v1/articles/?page=1&page=x", 400),
    api("api list: repeated kind", "/api/v1/articles/?kind=symptom&kind=nonsense", 400),
    get("search: 1,001 parameters", "/search/?q=leg&" + "&".join(["x=1"] * 1001), 400, page=False,
        security_log="TooManyFieldsSent"),
    feedback_post("feedback: repeated fields", {**GOOD_FEEDBACK, "category": "question&category=%00"}, 400),
    # Bad page numbers -------------------------------------------------------------------------
    *(
        get(f"search: page={number}", f"/search/?q=leg&page={number}", 200)
        for number in ("-1", "0", HUGE_NUMBER, "1e9", "1.5", "0x10", "%EF%BC%91", "1_0", " 1", "NaN", "")
    ),
    get("search: page of 5,000 digits", f"/search/?q=leg&page={DIGITS_5000}", 200),
    *(
        get(f"A-Z: page={number}", f"/symptoms/?page={number}", 200)
        for number in ("-1", HUGE_NUMBER, "1e9", DIGITS_5000[:30])
    ),
    get("A-Z: page of 5,000 digits", f"/conditions/?page={DIGITS_5000}", 200),
    api("api list: page=-1", "/api/v1/articles/?page=-1", 400),
    api("api list: page=0", "/api/v1/articles/?page=0", 400),
    api("api list: page=1e9", "/api/v1/articles/?page=1e9", 400),
    api(f"api list: page={HUGE_NUMBER}", f"/api/v1/articles/?page={HUGE_NUMBER}", 404),
    api("api list: page of 5,000 digits", f"/api/v1/articles/?page={DIGITS_5000}", 404),
    api("api list: page_size of 5,000 digits", f"/api/v1/articles/?page_size={DIGITS_5000}", 400),
    api("api list: full-width digit page", "/api/v1/articles/?page=%EF%BC%91", 400),
    api("api list: page_size=0", "/api/v1/articles/?page_size=0", 400),
    api("api search: page of 5,000 digits", f"/api/v1/search/?q=leg&page={DIGITS_5000}", 404),
    get("sitemap: p=-1", "/sitemap.xml?p=-1", 404),
    get("sitemap: p=1e9", "/sitemap.xml?p=1e9", 404),
    get("sitemap: p of 5,000 digits", f"/sitemap.xml?p={DIGITS_5000}", 404),
    get("sitemap: unknown section", "/sitemap-%00.xml", 404),
    get("sitemap: articles section p=0", "/sitemap-articles.xml?p=0", 404),
    # Wrong methods ----------------------------------------------------------------------------
    *(
        Case(id=f"{method} {target}", target=target, method=method, expect=statuses(405))
        for method, target in [
            ("PUT", "/"), ("DELETE", ARTICLE), ("PATCH", "/search/?q=leg"), ("PUT", "/symptoms/"),
            ("DELETE", "/sitemap.xml"), ("PUT", "/feed/"), ("PATCH", "/robots.txt"), ("DELETE", "/about/"),
            ("POST", "/"), ("POST", "/search/?q=leg"), ("POST", ARTICLE), ("OPTIONS", "/"), ("TRACE", ARTICLE),
            ("BREW", "/"), ("PUT", "/feedback/"), ("DELETE", "/feedback/"), ("GET", "/feedback/vote/"),
            ("PUT", "/feedback/vote/"), ("PATCH", "/feedback/thanks/"), ("PUT", "/search/suggest/?q=leg"),
            ("DELETE", "/api/v1/articles/"), ("POST", "/api/v1/search/?q=leg"), ("PUT", "/api/v1/"),
        ]
    ),
    # The admin keeps Django's CSRF protection: a method that could change something needs a token.
    Case(id="PUT /admin/login/", target="/admin/login/", method="PUT", expect=statuses(403)),
    Case(id="POST /admin/login/ without a CSRF token", target="/admin/login/", method="POST", content_type=FORM,
         body=b"username=alice&password=x", expect=statuses(403)),
    Case(id="admin login: NUL in the user name", target="/admin/login/", method="POST", content_type=FORM,
         body=b"csrfmiddlewaretoken={csrf}&username=ali%00ce&password=secret", csrf=True, expect=statuses(200)),
    Case(id="admin login: 100 KB user name", target="/admin/login/", method="POST", content_type=FORM,
         body=b"csrfmiddlewaretoken={csrf}&username=" + b"a" * 100 * KB + b"&password=x", csrf=True,
         expect=statuses(200)),
    # Wrong content types on POST --------------------------------------------------------------
    feedback_post("feedback: JSON body", {}, 400, content_type="application/json",
                  body=b'{"category": "suggestion", "message": "Please add gout."}'),
    feedback_post("feedback: text/plain body", {}, 400, content_type="text/plain",
                  body=form_body(GOOD_FEEDBACK)),
    feedback_post("feedback: XML body", {}, 400, content_type="application/xml", body=b"<message>gout</message>"),
    feedback_post("feedback: no content type", {}, 400, content_type=""),
    feedback_post("feedback: multipart without a boundary", {}, 400, page=False, content_type="multipart/form-data",
                  body=multipart(*GOOD_PARTS)),
    feedback_post("feedback: multipart with an empty boundary", {}, 400, page=False,
                  content_type="multipart/form-data; boundary=", body=multipart(*GOOD_PARTS)),
    feedback_post("feedback: multipart with a 1 KB boundary", {}, 400, page=False,
                  content_type="multipart/form-data; boundary=" + "b" * KB,
                  body=multipart(*GOOD_PARTS, boundary=b"b" * KB)),
    feedback_post("feedback: unknown charset", {}, 302, page=False,
                  content_type=FORM + "; charset=no-such-charset", body=form_body(GOOD_FEEDBACK)),
    # Django reads urlencoded forms as UTF-8 only and refuses any other declared charset.
    feedback_post("feedback: charset that is not a text encoding", {}, 400, page=False,
                  content_type=FORM + "; charset=base64", body=form_body(GOOD_FEEDBACK)),
    feedback_post("feedback: rot13 charset", {}, 400, page=False, content_type=FORM + "; charset=rot13",
                  body=form_body(GOOD_FEEDBACK)),
    feedback_post("feedback: UTF-16 charset", {}, 400, page=False, content_type=FORM + "; charset=utf-16",
                  body=form_body(GOOD_FEEDBACK)),
    vote_post("vote: JSON body", {}, 400, content_type="application/json", headers={**SAME_ORIGIN, "Accept":
              "application/json"}, body=b'{"article": "{article}", "helpful": "yes"}'),
    vote_post("vote: charset that is not a text encoding", {"article": "{article}", "helpful": "yes"}, 400,
              content_type=FORM + "; charset=zlib"),
    Case(id="admin login: charset that is not a text encoding", target="/admin/login/", method="POST",
         content_type=FORM + "; charset=hex", body=b"username=alice&password=x", expect=statuses(400, 403)),
    # Malformed multipart bodies ---------------------------------------------------------------
    feedback_post("feedback: well-formed multipart", {}, 302, page=False, content_type=MULTIPART,
                  body=multipart(*GOOD_PARTS)),
    feedback_post("feedback: truncated multipart", {}, 302, 400, page=False, content_type=MULTIPART,
                  body=multipart(*GOOD_PARTS)[:-40]),
    feedback_post("feedback: multipart cut inside a header", {}, 400, content_type=MULTIPART,
                  body=b'--XyZ\r\nContent-Disposition: form-da'),
    feedback_post("feedback: multipart boundary mismatch", {}, 400, content_type="multipart/form-data; boundary=AbC",
                  body=multipart(*GOOD_PARTS)),
    feedback_post("feedback: multipart with a 10 KB part header", {}, 400, page=False,
                  content_type=MULTIPART,
                  body=multipart(part("message", "gout", extra_headers=b"X-Padding: " + b"p" * 10 * KB + b"\r\n"),
                                 *GOOD_PARTS)),
    feedback_post("feedback: multipart part without a name", {}, 400, content_type=MULTIPART,
                  body=multipart(b"Content-Disposition: form-data\r\n\r\nno name")),
    feedback_post("feedback: multipart with a file", {}, 302, page=False, content_type=MULTIPART,
                  body=multipart(*GOOD_PARTS, b'Content-Disposition: form-data; name="f"; filename="../../etc/passwd"'
                                 b"\r\nContent-Type: application/octet-stream\r\n\r\n" + b"\x00" * KB)),
    feedback_post("feedback: multipart with 1,001 parts", {}, 400, page=False,
                  content_type=MULTIPART,
                  body=multipart(*(part(f"f{n}", "x") for n in range(1001))), security_log="TooManyFieldsSent"),
    feedback_post("feedback: multipart with invalid base64 part", {}, 302, 400, page=False,
                  content_type=MULTIPART,
                  body=multipart(*GOOD_PARTS[:2], part("message", "***not base64***",
                                 extra_headers=b"Content-Transfer-Encoding: base64\r\n"))),
    # Bodies over the limit --------------------------------------------------------------------
    feedback_post("feedback: 200 KB body", {**GOOD_FEEDBACK, "message": "a" * 200 * KB}, 413),
    feedback_post("feedback: Content-Length says a terabyte", GOOD_FEEDBACK, 413,
                  headers={**SAME_ORIGIN, "Content-Length": str(10**12)}),
    feedback_post("feedback: negative Content-Length", GOOD_FEEDBACK, 400,
                  headers={**SAME_ORIGIN, "Content-Length": "-1"}),
    feedback_post("feedback: Content-Length that is not a number", GOOD_FEEDBACK, 400,
                  headers={**SAME_ORIGIN, "Content-Length": "lots"}),
    feedback_post("feedback: 200 KB multipart", {}, 413, content_type=MULTIPART,
                  body=multipart(*GOOD_PARTS, part("padding", "p" * 200 * KB))),
    vote_post("vote: 200 KB body", {"article": "{article}", "helpful": "yes", "padding": "p" * 200 * KB}, 413),
    api("api: 3 MB POST", "/api/v1/articles/", 405, method="POST", content_type=FORM, body=b"x=" + b"a" * 3 * KB * KB),
    Case(id="admin login: 3 MB body", target="/admin/login/", method="POST", content_type=FORM,
         body=b"csrfmiddlewaretoken={csrf}&username=" + b"a" * 3 * KB * KB, csrf=True, expect=statuses(400),
         security_log="RequestDataTooBig"),
    # Host headers -----------------------------------------------------------------------------
    get("host: foreign", "/", 400, page=False, headers={"Host": "evil.example"}, security_log="DisallowedHost"),
    get("host: foreign on an article", ARTICLE, 400, page=False, headers={"Host": "evil.example"},
        security_log="DisallowedHost"),
    get("host: user-info trick", "/", 400, page=False, headers={"Host": "testserver@evil.example"},
        security_log="DisallowedHost"),
    get("host: port that is not a number", "/", 400, page=False, headers={"Host": "testserver:http"},
        security_log="DisallowedHost"),
    get("host: empty", "/", 400, page=False, headers={"Host": ""}, security_log="DisallowedHost"),
    get("host: 10 KB", "/", 400, page=False, headers={"Host": "a" * 10 * KB}, security_log="DisallowedHost"),
    get("host: NUL", "/", 400, page=False, headers={"Host": "testserver\x00.evil.example"},
        security_log="DisallowedHost"),
    get("host: X-Forwarded-Host is ignored", "/", 200, headers={"X-Forwarded-Host": "evil.example"}),
    feedback_post("host: foreign on a feedback post", GOOD_FEEDBACK, 400, page=False,
                  headers={**SAME_ORIGIN, "Host": "evil.example"}, security_log="DisallowedHost"),
    api("host: foreign on the API", "/api/v1/articles/", 400, headers={"Host": "evil.example"},
        security_log="DisallowedHost"),
    # Cross-origin and origin-less posts -------------------------------------------------------
    feedback_post("feedback: cross-site post", GOOD_FEEDBACK, 403,
                  headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}),
    feedback_post("feedback: foreign Origin, no Fetch metadata", GOOD_FEEDBACK, 403,
                  headers={"Origin": "https://evil.example"}),
    feedback_post("feedback: Origin null", GOOD_FEEDBACK, 403, headers={"Origin": "null"}),
    feedback_post("feedback: neither Origin nor Fetch metadata", GOOD_FEEDBACK, 403, headers={}),
    feedback_post("feedback: 10 KB Origin", GOOD_FEEDBACK, 403, headers={"Origin": "http://" + "o" * 10 * KB}),
    vote_post("vote: cross-site, JSON wanted", {"article": "{article}", "helpful": "yes"}, 403,
              headers={"Sec-Fetch-Site": "cross-site", "Accept": "application/json"}),
    # Absurd headers ---------------------------------------------------------------------------
    get("article: absurd Accept-Language", ARTICLE, 200,
        headers={"Accept-Language": ",".join(f"x-{n};q=0.{n % 10}" for n in range(2000)) + ",*;q=NaN"}),
    get("home: Accept-Language of 10 KB of dashes", "/", 200, headers={"Accept-Language": "-" * 10 * KB}),
    get("article: 100 KB If-None-Match", ARTICLE, 200, headers={"If-None-Match": ", ".join(['"x"'] * 20000)}),
    get("article: If-None-Match garbage", ARTICLE, 200, headers={"If-None-Match": 'W/"\x00", "\xff'}),
    get("article: If-None-Match *", ARTICLE, 304, page=False, headers={"If-None-Match": "*"}),
    get("feed: If-None-Match *", "/feed/", 304, page=False, headers={"If-None-Match": "*"}),
    get("article: If-Modified-Since in year 99999", ARTICLE, 200,
        headers={"If-Modified-Since": "Sat, 01 Jan 99999 00:00:00 GMT"}),
    get("article: If-Modified-Since of 5,000 digits", ARTICLE, 200, headers={"If-Modified-Since": DIGITS_5000}),
    get("article: If-Modified-Since -1", ARTICLE, 200, headers={"If-Modified-Since": "-1"}),
    get("article: If-Match garbage", ARTICLE, 412, page=False, headers={"If-Match": '"garbage"'}),
    get("article: If-Unmodified-Since 1971", ARTICLE, 412, page=False,
        headers={"If-Unmodified-Since": "Fri, 01 Jan 1971 00:00:00 GMT"}),
    get("article: absurd Range", ARTICLE, 200, headers={"Range": f"bytes=0-{HUGE_NUMBER}"}),
    get("article: 10 KB of ranges", ARTICLE, 200, headers={"Range": "bytes=" + ",".join(["0-1"] * 2000)}),
    get("static file: absurd Range", "/static/css/site.css", 200, 206, 416, page=False,
        headers={"Range": f"bytes={HUGE_NUMBER}-"}),
    get("static file: Range of 5,000 digits", "/static/css/site.css", 200, 206, 416, page=False,
        headers={"Range": f"bytes=0-{DIGITS_5000}"}),
    get("static file: If-Modified-Since garbage", "/static/css/site.css", 200, page=False,
        headers={"If-Modified-Since": "\xff" * 100}),
    api("api: absurd If-None-Match", "/api/v1/articles/", 200, headers={"If-None-Match": ", ".join(["*"] * 5000)}),
    api("api: X-Forwarded-For garbage", "/api/v1/articles/", 200, headers={"X-Forwarded-For": "\xff, " * 2000}),
    get("home: Accept garbage", "/", 200, headers={"Accept": "*/*;q=" + "9" * 5000}),
    # Path traversal ---------------------------------------------------------------------------
    *(
        get(f"traversal: {target}", target, 404, must_not_contain=TRAVERSAL_LEAKS)
        for target in [
            "/static/../config/settings/base.py",
            "/static/%2e%2e/config/settings/base.py",
            "/static/%2e%2e%2fconfig%2fsettings%2fbase.py",
            "/static/css/../../config/settings/base.py",
            "/static/..%5cconfig%5csettings%5cbase.py",
            "/static/%252e%252e%252fconfig%252fsettings%252fbase.py",
            "/static/%c0%ae%c0%ae/config/settings/base.py",
            "/static//etc/passwd",
            "/static/../../../../../../etc/passwd",
            "/static/css/site.css%00.py",
            "/../config/settings/base.py",
        ]
    ),
    api("traversal: through the API", "/api/v1/../../config/settings/base.py", 404, must_not_contain=TRAVERSAL_LEAKS),
    # The admin, for the staff whose work each list is: a filter it cannot apply is its "invalid
    # lookup" page (a redirect to ?e=1), a missing object a redirect to the admin index. Search
    # misses, site pages, users and groups belong to no role: the superuser sends those.
    staff("triager", "admin feedback list: NUL status", f"{FEEDBACK_ADMIN}?status=%00", 302),
    staff("triager", "admin feedback list: NUL category", f"{FEEDBACK_ADMIN}?category=%00", 302),
    staff("triager", "admin feedback list: year 99999999999", f"{FEEDBACK_ADMIN}?created_at__year=99999999999", 302),
    # No date drill-down any more (it read every row): a date lookup no row can match is an empty list.
    staff("triager", "admin feedback list: year 9999", f"{FEEDBACK_ADMIN}?created_at__year=9999", 200),
    staff("triager", "admin feedback list: month 13", f"{FEEDBACK_ADMIN}?created_at__year=2025&created_at__month=13", 200),
    staff("triager", "admin feedback list: NUL search", f"{FEEDBACK_ADMIN}?q=%00", 200),
    staff("triager", "admin feedback list: 100 KB search", f"{FEEDBACK_ADMIN}?q=" + "a" * 100 * KB, 200),
    staff("triager", "admin feedback list: page of 5,000 digits", f"{FEEDBACK_ADMIN}?p={DIGITS_5000}", 200),
    staff("triager", "admin feedback list: ordering garbage", f"{FEEDBACK_ADMIN}?o=99.-x.%00", 200),
    staff("triager", "admin feedback list: filter through a relation it does not offer",
          f"{FEEDBACK_ADMIN}?assignee__password__startswith=md5", 400,
          security_log="DisallowedModelAdminLookup"),
    staff("triager", "admin feedback CSV: year 99999999999", f"{FEEDBACK_ADMIN}export.csv?created_at__year=99999999999", 302),
    staff("triager", "admin feedback CSV: NUL status", f"{FEEDBACK_ADMIN}export.csv?status=%00", 302),
    staff("triager", "admin least useful: huge minimum", f"{FEEDBACK_ADMIN}least-useful/?min={HUGE_NUMBER}", 200),
    staff("triager", "admin least useful: minimum of 5,000 digits", f"{FEEDBACK_ADMIN}least-useful/?min={DIGITS_5000}", 200),
    staff("triager", "admin feedback: NUL id", f"{FEEDBACK_ADMIN}%00/change/", 302),
    staff("writer", "admin article list: NUL kind and status", "/admin/encyclopedia/article/?kind=%00&status=%00", 302),
    staff("writer", "admin article list: year 99999999999", "/admin/encyclopedia/article/?updated_at__year=99999999999", 302),
    staff("writer", "admin article: id of 30 digits", "/admin/encyclopedia/article/" + "9" * 30 + "/change/", 302),
    staff("superuser", "admin searches list: year 9999", "/admin/encyclopedia/searchmiss/?last_searched_at__year=9999", 302),
    staff("writer", "admin article list: year 99999999999 of another date",
          "/admin/encyclopedia/article/?published_at__year=99999999999", 302),
    staff("superuser", "admin site pages list: NUL slug", "/admin/encyclopedia/sitepage/?slug=%00", 302),
    staff("superuser", "admin user list: NUL user name", "/admin/auth/user/?username=%00", 302),
    staff("superuser", "admin user list: year 99999999999", "/admin/auth/user/?date_joined__year=99999999999", 302),
    staff("superuser", "admin group list: NUL name", "/admin/auth/group/?name=%00", 302),
    # Double slashes ---------------------------------------------------------------------------
    get("double slash: root", "//", 404),
    get("double slash: before search", "//search/?q=leg", 404),
    get("double slash: inside an article address", "/symptoms//leg-cramps/", 404),
    get("double slash: protocol-relative look-alike", "//evil.example", 404),
    get("double slash: protocol-relative look-alike with a site path", "//evil.example/symptoms", 404),
    api("double slash: in the API", "/api/v1//articles/", 404),
]
# fmt: on
