"""Mail servers that fail, as a province's SMTP relay does on a bad day."""

from smtplib import SMTPRecipientsRefused

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPRecipientsRefused(
            {
                address: (550, b"5.1.1 Mailbox unavailable")
                for m in email_messages
                for address in m.to
            }
        )


class UnreachableBackend(BaseEmailBackend):
    def open(self):
        raise ConnectionRefusedError(111, "Connection refused")

    def send_messages(self, email_messages):
        self.open()
