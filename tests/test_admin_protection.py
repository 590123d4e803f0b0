"""The admin against password guessing: lockouts per account and per client, its path, staff only."""

import datetime
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from .conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def sign_in(username: str, password: str, address: str = "198.51.100.7"):
    return Client(REMOTE_ADDR=address).post(reverse("admin:login"), {"username": username, "password": password})


def test_five_wrong_passwords_pause_the_account_with_a_clear_message(writer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in("bob", "wrong-password").status_code == 200  # the form again, with its error

    locked = sign_in("bob", "wrong-password")

    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    text = locked.content.decode()
    assert "Sign-in paused" in text
    assert "paused for 15 minutes" in text


def test_the_right_password_does_not_open_a_paused_account(writer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in("bob", "wrong-password")

    response = sign_in("bob", PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in response.client.session


def test_the_account_is_paused_whichever_address_the_guesses_come_from(writer, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in("bob", "wrong-password", address=f"203.0.113.{number + 1}")

    assert sign_in("bob", PASSWORD, address="192.0.2.200").status_code == 429


def test_a_client_guessing_many_accounts_is_paused_too(writer, django_user_model, settings):
    for number in range(settings.AXES_FAILURE_LIMIT):
        sign_in(f"someone-{number}", "wrong-password", address="203.0.113.9")

    assert sign_in("bob", PASSWORD, address="203.0.113.9").status_code == 429
    assert sign_in("bob", PASSWORD, address="192.0.2.10").status_code == 302  # others are not paused


START = datetime.datetime(2026, 11, 26, 9, 0, tzinfo=datetime.UTC)


def pause_bob_at_start(failure_limit: int) -> None:
    with time_machine.travel(START, tick=False):
        for _ in range(failure_limit):
            sign_in("bob", "wrong-password")


def at(minutes: int):
    return time_machine.travel(START + datetime.timedelta(minutes=minutes), tick=False)


def test_the_pause_ends_after_the_cool_off_time(writer, settings):
    pause_bob_at_start(settings.AXES_FAILURE_LIMIT)
    with at(16):
        assert sign_in("bob", PASSWORD).status_code == 302


def test_trying_again_during_the_pause_starts_it_again(writer, settings):
    pause_bob_at_start(settings.AXES_FAILURE_LIMIT)
    with at(14):
        assert sign_in("bob", PASSWORD).status_code == 429
    with at(20):
        assert sign_in("bob", PASSWORD).status_code == 429  # the first pause alone ended at 15
    with at(36):
        assert sign_in("bob", PASSWORD).status_code == 302


def test_a_successful_sign_in_resets_the_count(writer, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in("bob", "wrong-password")
    assert sign_in("bob", PASSWORD).status_code == 302

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in("bob", "wrong-password")
    assert sign_in("bob", PASSWORD).status_code == 302


def test_failed_sign_ins_leave_no_name_or_address_in_the_logs(writer, settings, caplog):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        sign_in("bob", "wrong-password", address="198.51.100.77")

    assert "198.51.100.77" not in caplog.text
    assert "bob" not in caplog.text


def test_people_who_are_not_staff_cannot_enter_the_admin(django_user_model):
    reader = django_user_model.objects.create_user("reader", "reader@example.org", PASSWORD)
    client = Client()
    client.force_login(reader)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("password", ["short", "password1234", "12345678901234", "alice-example"])
def test_weak_passwords_are_refused(django_user_model, password):
    user = django_user_model(username="alice-example", email="alice@example.org")
    with pytest.raises(ValidationError):
        validate_password(password, user)


@pytest.mark.db_independent  # its own process, without DATABASE_URL
def test_the_admin_path_comes_from_the_environment():
    result = subprocess.run(
        [
            sys.executable, "manage.py", "shell", "--no-imports", "-c",
            "from django.urls import reverse; print(reverse('admin:index'), reverse('markdown_preview'))",
        ],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.test", "ADMIN_PATH": "back-office-7f3"},
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["/back-office-7f3/", "/back-office-7f3/markdown-preview/"]
