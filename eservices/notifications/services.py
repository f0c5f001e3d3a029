"""Queueing and delivering e-mails through the outbox.

A mail is rendered in its recipient's language when it is queued, stored, and handed to the mail server after
the transaction commits; temporary failures (connection refused, 4xx answers) are retried with backoff until
``OUTBOX_MAX_ATTEMPTS``; a permanent refusal (5xx) or a bounce fails the mail at once. The apps above learn the
outcome through ``signals.email_sent`` and ``signals.email_failed``.
"""

import datetime
import logging
import re
import secrets
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .models import OutboxEmail
from .signals import email_failed, email_sent

logger = logging.getLogger(__name__)


def queue_email(*, template, to, language, context, group_key="", delay=None):
    """Render ``<template>_subject.txt``, ``<template>.txt`` and ``<template>.html`` and queue the mail.

    ``template`` names a trio under an app's ``templates/`` folder, e.g. ``email/access_decision``. The context
    must hold no sensitive detail: alerts only say that something is waiting, with a link.

    With a ``group_key``, a mail to the same address with the same key that has not been tried yet is reused
    instead of queueing another one: several alerts leave as one mail. ``delay`` (a timedelta) holds the mail back
    that long, so that alerts arriving meanwhile join it.
    """
    if group_key:
        waiting = (
            OutboxEmail.objects.select_for_update()
            .filter(group_key=group_key, to=to, status=OutboxEmail.Status.PENDING, attempts=0, claimed_at__isnull=True)
            .order_by("id")
            .first()
        )
        if waiting is not None:
            return waiting
    context = {"site_url": settings.SITE_URL, **context}
    code = new_check_code()
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body_text = render_to_string(f"{template}.txt", context)
        body_html = render_to_string(f"{template}.html", context)
        body_text, body_html = _with_check_code(body_text, body_html, code, language)
    email = OutboxEmail.objects.create(
        check_code=code,
        template=template,
        to=to,
        language=language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        group_key=group_key,
        next_attempt_at=timezone.now() + (delay or datetime.timedelta(0)),
    )
    transaction.on_commit(lambda: _enqueue(email.pk, email.next_attempt_at))
    return email


# 32 letters and digits without the look-alikes (0/O, 1/I): ten of them, about 50 bits, read and typed easily.
CHECK_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # pragma: allowlist secret - an alphabet, not a secret


def new_check_code():
    """A fresh check code such as ``K7QX2-MZ9PA``: unguessable within the public page's rate limit."""
    letters = "".join(secrets.choice(CHECK_CODE_ALPHABET) for _ in range(10))
    return f"{letters[:5]}-{letters[5:]}"


def normalise_check_code(value):
    """The code as stored, from what a person typed (spaces, lower case, without the dash)."""
    letters = re.sub(r"[^A-Z0-9]", "", (value or "").upper())
    if len(letters) != 10 or any(letter not in CHECK_CODE_ALPHABET for letter in letters):
        return ""
    return f"{letters[:5]}-{letters[5:]}"


def check_url(language):
    return f"{settings.SITE_URL}/{language}/verify/email/"


def _with_check_code(body_text, body_html, code, language):
    """The footer every mail carries: its check code and where to confirm it. Rendered in the mail's language."""
    sentence = _(
        "Check code of this e-mail: %(code)s. To confirm that the portal sent it, enter the code at %(url)s "
        "(the page says only when the portal sent it)."
    )
    url = check_url(language)
    body_text = f"{body_text.rstrip()}\n\n--\n{sentence % {'code': code, 'url': url}}\n"
    if body_html:
        footer = format_html(
            '<p style="font-size:small;color:#555">{}</p>',
            format_html(
                sentence.replace("%(code)s", "<strong>{code}</strong>").replace("%(url)s", '<a href="{url}">{url}</a>'),
                code=code,
                url=url,
            ),
        )
        body_html = body_html.replace("</body>", f"{footer}</body>") if "</body>" in body_html else body_html + footer
    return body_text, body_html


def alert_sent_at(code):
    """When the portal sent the mail with this check code (the mail server accepted it), or ``None``: a code
    never issued, or a mail not sent (yet). Says nothing else about the mail."""
    code = normalise_check_code(code)
    if not code:
        return None
    return OutboxEmail.objects.filter(check_code=code, sent_at__isnull=False).values_list("sent_at", flat=True).first()


def _enqueue(email_id, run_after):
    from .tasks import deliver_email

    try:
        if run_after <= timezone.now():
            deliver_email.enqueue(email_id)
        elif deliver_email.get_backend().supports_defer:
            deliver_email.using(run_after=run_after).enqueue(email_id)
        # else: a backend that cannot defer (in-process): send_outbox or the periodic job sends it when due.
    except Exception:  # the row stays pending: send_outbox picks it up
        logger.exception("could not enqueue outbox e-mail %s", email_id)


def is_permanent(error):
    """A refusal that retrying will not change: the server answered 5xx (for every recipient)."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def retry_delay(attempts):
    """Exponential backoff: 1, 2, 4, ... minutes, at most an hour."""
    return datetime.timedelta(minutes=min(2 ** (attempts - 1), 60))


def deliver(email_id):
    """Send one due e-mail, once: the row is claimed first so that two workers never send it twice."""
    now = timezone.now()
    claimed = OutboxEmail.objects.filter(
        pk=email_id, status=OutboxEmail.Status.PENDING, claimed_at__isnull=True, next_attempt_at__lte=now
    ).update(claimed_at=now)
    if not claimed:
        return None
    email = OutboxEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(email.subject, email.body_text, settings.DEFAULT_FROM_EMAIL, [email.to])
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    email.attempts += 1
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 - any failure of the mail server is retried
        email.last_error = f"{type(error).__name__}: {error}"[:500]
        if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS or is_permanent(error):
            email.status = OutboxEmail.Status.FAILED
        else:
            email.next_attempt_at = timezone.now() + retry_delay(email.attempts)
    else:
        email.status = OutboxEmail.Status.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
    email.claimed_at = None
    with transaction.atomic():
        email.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error", "claimed_at"])
        if email.status == OutboxEmail.Status.SENT:
            email_sent.send(sender=OutboxEmail, email=email)
        elif email.status == OutboxEmail.Status.FAILED:
            email_failed.send(sender=OutboxEmail, email=email)
        else:  # a backend that defers tasks retries it then; otherwise the periodic deliver_due does
            transaction.on_commit(lambda: _enqueue(email.pk, email.next_attempt_at))
    return email


@transaction.atomic
def requeue_failed(email_ids):
    """Give failed e-mails a new round of attempts (after the mail server or the address was fixed)."""
    now = timezone.now()
    ids = list(
        OutboxEmail.objects.filter(pk__in=email_ids, status=OutboxEmail.Status.FAILED).values_list("pk", flat=True)
    )
    OutboxEmail.objects.filter(pk__in=ids).update(
        status=OutboxEmail.Status.PENDING, attempts=0, next_attempt_at=now, claimed_at=None, bounced_at=None
    )
    for pk in ids:
        transaction.on_commit(lambda pk=pk: _enqueue(pk, now))
    return len(ids)


@transaction.atomic
def record_bounce(email_id, *, reason):
    """A mail the server accepted came back undeliverable (a bounce report): it fails, once."""
    bounced = OutboxEmail.objects.filter(pk=email_id, bounced_at__isnull=True).update(
        status=OutboxEmail.Status.FAILED, bounced_at=timezone.now(), last_error=f"bounce: {reason}"[:500]
    )
    if not bounced:
        return None
    email = OutboxEmail.objects.get(pk=email_id)
    email_failed.send(sender=OutboxEmail, email=email)
    return email


def deliver_due(limit=100):
    """Send what is due, and release claims older than ten minutes (a worker that crashed mid-send)."""
    stale = timezone.now() - datetime.timedelta(minutes=10)
    OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, claimed_at__lt=stale).update(claimed_at=None)
    due = OutboxEmail.objects.filter(
        status=OutboxEmail.Status.PENDING, claimed_at__isnull=True, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)[:limit]
    return [email for email in (deliver(pk) for pk in list(due)) if email is not None]
