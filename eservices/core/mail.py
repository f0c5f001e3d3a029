"""E-mail backends: SMTP and, for the demo and development, a folder with one readable ``.eml`` file per message;
both DKIM-sign what they send when a key is configured (``DKIM_PRIVATE_KEY_PATH``, ``DKIM_SELECTOR``,
``DKIM_DOMAIN``), so that a receiving server, and a person, can tell the portal's mail from a forgery."""

import email.policy
import smtplib
import uuid
from functools import lru_cache
from pathlib import Path

import dkim
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.utils import timezone

# The headers the signature covers (RFC 6376 section 5.4.1's recommendation, those Django writes).
DKIM_HEADERS = (b"from", b"to", b"subject", b"date", b"message-id", b"mime-version", b"content-type")


@lru_cache(maxsize=2)
def _dkim_key(path):
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise ImproperlyConfigured(f"DKIM_PRIVATE_KEY_PATH cannot be read: {error}") from error


def dkim_domain():
    """The signing domain: ``DKIM_DOMAIN``, else the sender address's domain."""
    return settings.DKIM_DOMAIN or settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(">")


def dkim_sign(message_bytes):
    """``message_bytes`` with a ``DKIM-Signature`` header first (rsa-sha256, relaxed/relaxed), when a key is
    configured; unchanged otherwise."""
    if not settings.DKIM_PRIVATE_KEY_PATH:
        return message_bytes
    signature = dkim.sign(
        message_bytes,
        settings.DKIM_SELECTOR.encode(),
        dkim_domain().encode(),
        _dkim_key(settings.DKIM_PRIVATE_KEY_PATH),
        canonicalize=(b"relaxed", b"relaxed"),
        include_headers=list(DKIM_HEADERS),
    )
    return signature + message_bytes


class DkimSmtpBackend(SmtpBackend):
    """Django's SMTP backend, DKIM-signing each message's final bytes before they go."""

    def _send(self, email_message):
        if not email_message.recipients():
            return False
        from_email = self.prep_address(email_message.from_email)
        recipients = [self.prep_address(address) for address in email_message.recipients()]
        message = email_message.message(policy=email.policy.SMTP)
        try:
            self.connection.sendmail(from_email, recipients, dkim_sign(message.as_bytes()))
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True


class FolderEmailBackend(BaseEmailBackend):
    """Writes each message to ``<file_path>/<time>-<id>.eml``, atomically (temp file, then rename)."""

    def __init__(self, *, file_path, **kwargs):
        super().__init__(**kwargs)
        self.file_path = file_path

    def send_messages(self, email_messages):
        folder = Path(self.file_path)
        folder.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            name = f"{timezone.now():%Y%m%d-%H%M%S}-{uuid.uuid4().hex[:8]}.eml"
            partial = folder / f".{name}.part"
            partial.write_bytes(dkim_sign(message.message(policy=email.policy.SMTP).as_bytes()))
            partial.rename(folder / name)
            sent += 1
        return sent
