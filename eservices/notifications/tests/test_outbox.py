import datetime

import pytest
from django.core import mail
from django.utils import timezone

from eservices.notifications import services
from eservices.notifications.models import OutboxEmail

TEMPLATES = {
    "email/test_subject.txt": "{% load i18n %}{% translate 'Home' %}",
    "email/test.txt": "{{ name }} {{ site_url }}",
    "email/test.html": "<p>{{ name }}</p>",
}


@pytest.fixture(autouse=True)
def _email_templates(settings):
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "OPTIONS": {"loaders": [("django.template.loaders.locmem.Loader", TEMPLATES)]},
        }
    ]


@pytest.mark.django_db(transaction=True)
def test_queued_mail_is_rendered_in_the_recipients_language_and_sent_after_commit():
    email = services.queue_email(template="email/test", to="a@example.org", language="nl", context={"name": "An"})
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Startpagina"
    assert mail.outbox[0].alternatives[0].content.startswith("<p>An</p>")
    assert email.check_code in mail.outbox[0].alternatives[0].content  # every mail ends with its check code


@pytest.mark.django_db
def test_nothing_is_sent_when_the_transaction_rolls_back(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.queue_email(template="email/test", to="a@example.org", language="fr", context={"name": "x"})
    assert len(callbacks) == 1
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_failing_server_is_retried_with_backoff_then_marked_failed(settings, monkeypatch):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    email = OutboxEmail.objects.create(
        template="t", to="a@example.org", language="fr", subject="s", body_text="b", next_attempt_at=timezone.now()
    )

    def refuse(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    # The real SMTP failure paths are tested against a real server in the mailbox tests; here the backend refuses.
    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", refuse)
    services.deliver(email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.PENDING, 1)
    assert email.next_attempt_at > timezone.now()
    assert services.deliver(email.pk) is None  # not due yet
    for _ in range(2):
        OutboxEmail.objects.filter(pk=email.pk).update(next_attempt_at=timezone.now())
        services.deliver(email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxEmail.Status.FAILED, 3)
    assert "mail server down" in email.last_error


@pytest.mark.django_db
def test_a_claimed_mail_is_not_sent_twice_and_stale_claims_are_released():
    email = OutboxEmail.objects.create(
        template="t", to="a@example.org", language="fr", subject="s", body_text="b", next_attempt_at=timezone.now()
    )
    OutboxEmail.objects.filter(pk=email.pk).update(claimed_at=timezone.now())
    assert services.deliver_due() == []
    OutboxEmail.objects.filter(pk=email.pk).update(claimed_at=timezone.now() - datetime.timedelta(minutes=11))
    assert [sent.pk for sent in services.deliver_due()] == [email.pk]
    assert len(mail.outbox) == 1
