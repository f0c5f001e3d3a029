"""Queueing and delivering e-mails through the outbox.

A mail is rendered in its recipient's language when it is queued, stored, and handed to the mail server after
the transaction commits; failures are retried with backoff until ``OUTBOX_MAX_ATTEMPTS``.
"""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import OutboxEmail

logger = logging.getLogger(__name__)


def queue_email(*, template, to, language, context):
    """Render ``<template>_subject.txt``, ``<template>.txt`` and ``<template>.html`` and queue the mail.

    ``template`` names a trio under an app's ``templates/`` folder, e.g. ``email/access_decision``. The context
    must hold no sensitive detail: alerts only say that something is waiting, with a link.
    """
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body_text = render_to_string(f"{template}.txt", context)
        body_html = render_to_string(f"{template}.html", context)
    email = OutboxEmail.objects.create(
        template=template,
        to=to,
        language=language,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id):
    from .tasks import deliver_email

    try:
        deliver_email.enqueue(email_id)
    except Exception:  # the row stays pending: send_outbox picks it up
        logger.exception("could not enqueue outbox e-mail %s", email_id)


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
        if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            email.status = OutboxEmail.Status.FAILED
        else:
            email.next_attempt_at = timezone.now() + retry_delay(email.attempts)
    else:
        email.status = OutboxEmail.Status.SENT
        email.sent_at = timezone.now()
        email.last_error = ""
    email.claimed_at = None
    email.save(update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error", "claimed_at"])
    return email


def deliver_due(limit=100):
    """Send what is due, and release claims older than ten minutes (a worker that crashed mid-send)."""
    stale = timezone.now() - datetime.timedelta(minutes=10)
    OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, claimed_at__lt=stale).update(claimed_at=None)
    due = OutboxEmail.objects.filter(
        status=OutboxEmail.Status.PENDING, claimed_at__isnull=True, next_attempt_at__lte=timezone.now()
    ).values_list("pk", flat=True)[:limit]
    return [email for email in (deliver(pk) for pk in list(due)) if email is not None]
