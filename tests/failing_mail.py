"""A real Django email backend whose server is always down, for the feedback notification tests."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class MailServerDownBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RecipientsRefusedBackend(BaseEmailBackend):
    """A mail server that refuses the editors' addresses, naming them in its error."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPRecipientsRefused(
            {address: (550, b"mailbox unavailable") for message in email_messages for address in message.to}
        )
