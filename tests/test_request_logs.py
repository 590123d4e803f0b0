"""What the logs say about each request, read from the console handler the LOGGING setting configures."""

import datetime
import io
import json
import logging
import re

import pytest
from django.core.mail import EmailMessage
from django.test import Client

from editorial.models import Feedback
from editorial.services import feedback_notify, feedback_set_status

from .conftest import SAME_ORIGIN
from .feedback_helpers import general

CLIENT_ADDRESS = "203.0.113.7"
FORWARDED_FOR = "198.51.100.23, 192.0.2.44"
GENERATED_ID = re.compile(r"[0-9a-f]{32}")


class LogOutput:
    def __init__(self, stream: io.StringIO):
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def entries(self) -> list[dict]:
        return [json.loads(line) for line in self.text.splitlines()]

    def requests(self) -> list[dict]:
        return [entry for entry in self.entries() if entry["logger"] == "access"]


@pytest.fixture
def logs():
    """Everything the configured console handler writes during the test."""
    handler = logging.getHandlerByName("console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield LogOutput(stream)
    handler.setStream(previous)


def test_a_page_view_is_one_json_line_with_its_path_but_not_its_query_string(client, leg_cramps, logs):
    response = client.get("/symptoms/leg-cramps/?q=my+swollen+calf&token=s3cret-t0ken", REMOTE_ADDR=CLIENT_ADDRESS)
    assert response.status_code == 200
    [line] = logs.entries()
    assert set(line) == {"time", "level", "logger", "request_id", "message", "method", "path", "status", "duration_ms"}
    assert (line["method"], line["path"], line["status"], line["level"]) == (
        "GET",
        "/symptoms/leg-cramps/",
        200,
        "INFO",
    )
    assert line["request_id"] == response["X-Request-ID"]
    assert GENERATED_ID.fullmatch(line["request_id"])
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    logged_at = datetime.datetime.fromisoformat(line["time"])
    assert line["time"].endswith("Z") and logged_at.utcoffset() == datetime.timedelta(0)
    assert abs(datetime.datetime.now(datetime.UTC) - logged_at) < datetime.timedelta(minutes=1)
    for private in ("swollen", "s3cret-t0ken", "token=", CLIENT_ADDRESS):
        assert private not in logs.text


@pytest.mark.page_cache
def test_pages_served_from_the_page_cache_are_logged_too(client, leg_cramps, logs):
    first = client.get("/symptoms/leg-cramps/")
    second = client.get("/symptoms/leg-cramps/")
    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    lines = logs.requests()
    assert [(line["path"], line["status"]) for line in lines] == [("/symptoms/leg-cramps/", 200)] * 2
    assert [line["request_id"] for line in lines] == [first["X-Request-ID"], second["X-Request-ID"]]
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_a_404_is_a_single_line_with_its_status(client, db, logs):
    response = client.get("/no-such-page/?email=reader@example.net")
    assert response.status_code == 404
    [line] = logs.entries()  # Django's own "Not Found" warning would only repeat it
    assert (line["logger"], line["path"], line["status"]) == ("access", "/no-such-page/", 404)
    assert line["request_id"] == response["X-Request-ID"]
    assert "reader@example.net" not in logs.text


@pytest.mark.urls("tests.error_urls")
def test_an_unhandled_exception_is_logged_with_its_traceback_and_the_request_id(db, logs):
    client = Client(raise_request_exception=False)
    response = client.get(
        "/broken/?q=private+words", REMOTE_ADDR=CLIENT_ADDRESS, HTTP_X_FORWARDED_FOR=FORWARDED_FOR,
        HTTP_COOKIE="sessionid=cookie-value-1234", HTTP_USER_AGENT="Reader's browser 1.0",
    )  # fmt: skip
    assert response.status_code == 500
    [error] = [entry for entry in logs.entries() if entry["level"] == "ERROR"]
    assert (error["logger"], error["message"], error["status"]) == (
        "django.request",
        "Internal Server Error: /broken/",
        500,
    )
    assert error["request_id"] == response["X-Request-ID"]
    assert error["exception"].startswith("Traceback") and "RuntimeError: the view broke" in error["exception"]
    [line] = logs.requests()
    assert (line["path"], line["status"], line["request_id"]) == ("/broken/", 500, response["X-Request-ID"])
    # The request Django attaches to its error report (headers, cookies, address) is not written.
    for private in ("private", CLIENT_ADDRESS, "198.51.100.23", "cookie-value-1234", "Reader's browser", "WSGIRequest"):
        assert private not in logs.text


@pytest.mark.urls("tests.error_urls")
def test_a_server_error_returned_by_a_view_carries_the_request_id(client, db, logs):
    response = client.get("/unavailable/")
    assert response.status_code == 503
    # Django reports this one after every middleware has returned.
    [error] = [entry for entry in logs.entries() if entry["logger"] == "django.request"]
    assert (error["message"], error["level"], error["request_id"]) == (
        "Service Unavailable: /unavailable/", "ERROR", response["X-Request-ID"],
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
def test_a_feedback_message_leaves_no_personal_data_in_the_logs(
    client, leg_cramps, logs, mailoutbox, django_capture_on_commit_callbacks
):
    data = general(
        "My calf has been swollen since my flight", article=str(leg_cramps.uuid),
        name="Jane Reader", email="jane.reader@example.net",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/feedback/?from=newsletter-7781", data, headers=SAME_ORIGIN,
            REMOTE_ADDR=CLIENT_ADDRESS, HTTP_X_FORWARDED_FOR=FORWARDED_FOR,
        )  # fmt: skip
    assert response.status_code == 302
    assert Feedback.objects.get().email == "jane.reader@example.net"
    [email] = mailoutbox  # the editors' email was sent while the request was logged
    assert email.reply_to == ["jane.reader@example.net"]
    [line] = logs.requests()
    assert (line["method"], line["path"], line["status"]) == ("POST", "/feedback/", 302)
    for private in (
        "jane.reader",
        "example.net",
        "Jane",
        "swollen",
        "newsletter-7781",
        CLIENT_ADDRESS,
        "198.51.100.23",
    ):
        assert private not in logs.text


def test_staff_are_not_named_in_the_logs(triager_client, triager, logs):
    response = triager_client.get("/admin/?next=/admin/editorial/")
    assert response.status_code == 200
    feedback = Feedback.objects.create(category="suggestion", message="Add gout")
    feedback_set_status(feedback=Feedback.objects.filter(pk=feedback.pk), status="resolved", by=triager)
    assert [line["path"] for line in logs.requests()] == ["/admin/"]
    assert "moved 1 feedback item(s) to resolved" in logs.text
    assert triager.username not in logs.text and triager.email not in logs.text
    assert triager_client.cookies["sessionid"].value not in logs.text


def test_a_refused_notification_does_not_log_the_recipients(db, settings, logs):
    settings.MAILERS = {"default": {"BACKEND": "tests.failing_mail.RecipientsRefusedBackend"}}
    settings.FEEDBACK_NOTIFY_EMAILS = ["chief.editor@example.org"]
    with pytest.raises(Exception, match="chief.editor@example.org"):  # the server's error names them...
        EmailMessage(to=settings.FEEDBACK_NOTIFY_EMAILS).send()
    feedback = Feedback.objects.create(category="correction", message="Wrong dose")
    assert feedback_notify(feedback_id=feedback.pk) is False
    [line] = logs.entries()
    assert (line["level"], line["logger"]) == ("WARNING", "editorial.services")
    assert "will retry" in line["message"] and "SMTPRecipientsRefused" in line["message"]
    assert "chief.editor" not in logs.text  # ...but the log does not


def test_a_well_formed_incoming_request_id_is_kept(client, db, logs):
    response = client.get("/no-such-page/", headers={"X-Request-ID": "lb-7f3a9c2e-0042"})
    assert response["X-Request-ID"] == "lb-7f3a9c2e-0042"
    assert logs.requests()[0]["request_id"] == "lb-7f3a9c2e-0042"


@pytest.mark.parametrize(
    "incoming",
    ["short", "x" * 65, "has space inside", 'quote"injection', "lb-7f3a9c2e-0042\n", "émile-0123456"],
)
def test_a_malformed_incoming_request_id_is_replaced(client, db, logs, incoming):
    response = client.get("/no-such-page/", HTTP_X_REQUEST_ID=incoming)
    assert GENERATED_ID.fullmatch(response["X-Request-ID"])
    assert logs.requests()[0]["request_id"] == response["X-Request-ID"]
