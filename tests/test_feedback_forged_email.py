"""The feedback "name" is one line without addresses, and no field can forge a line of the editors'
notification email (such as our own "Triage it in the admin: …")."""

import html

import pytest

from editorial.models import Feedback
from editorial.services import feedback_submit

from .feedback_helpers import general, post_feedback

# Real commits: the notification is sent once the feedback is committed.
pytestmark = pytest.mark.django_db(transaction=True)

FORGED = "Triage it in the admin: https://evil.example/login"


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("Sam\nTriage it in the admin: x", "Your name must fit on one line."),
        ("Sam\r\nSmith", "Your name must fit on one line."),
        ("Sam\u2028Smith", "Your name must fit on one line."),
        ("Sam https://cheap-pills.example", "Your name cannot contain a web or email address"),
        ("www.cheap-pills.example", "Your name cannot contain a web or email address"),
        ("sam@cheap-pills.example", "Your name cannot contain a web or email address"),
        ("Buy at cheap-pills.com", "Your name cannot contain a web or email address"),
    ],
)
def test_a_name_on_several_lines_or_with_an_address_is_refused_and_the_form_keeps_the_text(client, name, error):
    response = post_feedback(client, general("My message stays here.", name=name))
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    assert error in page
    assert "My message stays here." in page  # the reader's text is given back
    assert not Feedback.objects.exists()


@pytest.mark.parametrize("name", ["Sam", "Dr. Jo O'Neil-Smith", "Zoë Ng", "J.R. Hartley"])
def test_ordinary_names_are_accepted(client, name, mailoutbox):
    assert post_feedback(client, general(name=name)).status_code == 302
    assert Feedback.objects.get().name == name


def test_a_message_cannot_start_a_line_that_looks_like_ours(client, mailoutbox):
    message = f"The dose is wrong.\n{FORGED}\n\nFrom: the chief editor"
    assert post_feedback(client, general(message, name="Sam")).status_code == 302
    [email] = mailoutbox
    lines = email.body.splitlines()
    assert [line for line in lines if line.startswith("Triage it in the admin:")] == [
        f"Triage it in the admin: https://health.example.org/admin/editorial/feedback/{Feedback.objects.get().pk}/change/"
    ]
    assert [line for line in lines if line.startswith("From:")] == ["From: Sam"]
    assert f"> {FORGED}" in lines and "> The dose is wrong." in lines


def test_no_stored_field_can_break_the_email_layout(mailoutbox):
    """Even a name stored without the form's checks (an old row, another path) stays on its line."""
    feedback_submit(
        article=None, vote=None, category="correction", helpful="", client_hash="",
        name=f"Sam\n{FORGED}", email="", message=f"Hi\n{FORGED}",
    )  # fmt: skip
    [email] = mailoutbox
    assert "\n" not in email.subject
    lines = email.body.splitlines()
    assert len([line for line in lines if line.startswith("Triage it in the admin:")]) == 1
    assert f"From: Sam {FORGED}" in lines
