"""A real Django email backend whose server is always down, for the feedback notification tests."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class MailServerDownBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
