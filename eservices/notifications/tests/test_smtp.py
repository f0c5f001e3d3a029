"""The outbox against a real SMTP server (aiosmtpd on a free port): delivery, a server that is down, one that
answers 4xx then recovers, one that refuses for good (5xx), bounces, grouping, and the database task worker."""

import email

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from conftest import log_in
from eservices.notifications import services
from eservices.notifications.models import OutboxEmail
from eservices.notifications.signals import email_failed, email_sent
from eservices.units.tests.factories import StaffFactory

from .smtp import free_port, smtp_server, use_smtp


def _queue(to="person@example.org", **kwargs):
    return services.queue_email(
        template="mailbox/email/new_item",
        to=to,
        language="nl",
        context={"mailbox_url": "https://x/nl/mailbox/"},
        **kwargs,
    )


def _due_again(pk):
    OutboxEmail.objects.filter(pk=pk).update(next_attempt_at=timezone.now())


@pytest.fixture
def outcomes():
    seen = []

    def on_sent(sender, email, **kwargs):
        seen.append(("sent", email.pk))

    def on_failed(sender, email, **kwargs):
        seen.append(("failed", email.pk))

    email_sent.connect(on_sent, dispatch_uid="test_sent")
    email_failed.connect(on_failed, dispatch_uid="test_failed")
    yield seen
    email_sent.disconnect(dispatch_uid="test_sent")
    email_failed.disconnect(dispatch_uid="test_failed")


@pytest.mark.django_db(transaction=True)
def test_an_alert_reaches_a_real_smtp_server_in_the_recipients_language(settings, outcomes):
    with smtp_server() as (controller, handler):
        use_smtp(settings, controller.port)
        queued = _queue()  # delivered after commit by the in-process task backend
        queued.refresh_from_db()
    assert queued.status == OutboxEmail.Status.SENT
    assert len(handler.envelopes) == 1
    received = email.message_from_bytes(handler.envelopes[0].original_content)
    assert handler.envelopes[0].rcpt_tos == ["person@example.org"]
    assert "brievenbus" in received["Subject"].lower()  # queued in Dutch, sent in Dutch
    assert outcomes == [("sent", queued.pk)]


@pytest.mark.django_db
def test_a_server_that_is_down_is_retried_then_the_mail_fails_and_is_kept(settings, outcomes):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    use_smtp(settings, free_port())  # nothing listens there: connection refused
    queued = _queue()
    for _ in range(3):
        _due_again(queued.pk)
        services.deliver(queued.pk)
        queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (OutboxEmail.Status.FAILED, 3)
    assert "ConnectionRefused" in queued.last_error or "Errno" in queued.last_error
    assert queued.body_text  # nothing lost: the mail stays, ready to be re-sent by hand
    assert outcomes == [("failed", queued.pk)]


@pytest.mark.django_db
def test_a_temporary_refusal_is_retried_with_backoff_until_the_server_accepts(settings, outcomes):
    with smtp_server() as (controller, handler):
        use_smtp(settings, controller.port)
        handler.refuse_with = "451 4.3.0 Try again later"
        queued = _queue()
        services.deliver(queued.pk)
        queued.refresh_from_db()
        assert (queued.status, queued.attempts) == (OutboxEmail.Status.PENDING, 1)
        assert queued.next_attempt_at > timezone.now()
        assert "451" in queued.last_error
        handler.refuse_with = None
        _due_again(queued.pk)
        services.deliver(queued.pk)
        queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (OutboxEmail.Status.SENT, 2)
    assert len(handler.envelopes) == 1
    assert outcomes == [("sent", queued.pk)]


@pytest.mark.django_db
def test_a_permanent_refusal_fails_at_once(settings, outcomes):
    with smtp_server() as (controller, handler):
        use_smtp(settings, controller.port)
        handler.refuse_with = "550 5.1.1 No such user"
        queued = _queue()
        services.deliver(queued.pk)
        queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (OutboxEmail.Status.FAILED, 1)
    assert "550" in queued.last_error
    assert outcomes == [("failed", queued.pk)]


@pytest.mark.django_db
def test_a_bounce_fails_a_sent_mail_once(outcomes):
    queued = _queue()
    services.deliver(queued.pk)
    assert services.record_bounce(queued.pk, reason="mailbox full") is not None
    assert services.record_bounce(queued.pk, reason="again") is None
    queued.refresh_from_db()
    assert queued.status == OutboxEmail.Status.FAILED
    assert queued.bounced_at is not None
    assert outcomes == [("sent", queued.pk), ("failed", queued.pk)]


@pytest.mark.django_db
def test_the_record_bounce_command(outcomes):
    queued = _queue()
    call_command("record_bounce", str(queued.pk), "--reason", "unknown user")
    queued.refresh_from_db()
    assert queued.last_error == "bounce: unknown user"


@pytest.mark.django_db
def test_alerts_to_one_address_waiting_together_leave_as_one_mail(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        first = _queue(group_key="alert")
        second = _queue(group_key="alert")
        other = _queue(to="other@example.org", group_key="alert")
    assert first.pk == second.pk != other.pk
    assert OutboxEmail.objects.count() == 2
    # Once it has left, a new alert is a new mail.
    assert _queue(group_key="alert").pk not in (first.pk, other.pk)


@pytest.mark.django_db
def test_a_delayed_alert_waits_for_its_time(settings):
    queued = _queue(group_key="alert", delay=timezone.timedelta(minutes=2))
    assert services.deliver(queued.pk) is None
    assert _queue(group_key="alert").pk == queued.pk


@pytest.mark.django_db(transaction=True)
def test_the_database_task_backend_and_its_worker_deliver_the_outbox(settings):
    """Production's worker story: django-tasks-db stores the task; `manage.py db_worker` runs it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # Django resets its backends
    with smtp_server() as (controller, handler):
        use_smtp(settings, controller.port)
        queued = _queue()
        queued.refresh_from_db()
        assert queued.status == OutboxEmail.Status.PENDING  # waiting for the worker
        call_command("db_worker", "--batch", "--no-startup-delay")
        queued.refresh_from_db()
    assert queued.status == OutboxEmail.Status.SENT
    assert len(handler.envelopes) == 1


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_a_temporary_failure_schedules_its_retry(settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with smtp_server() as (controller, handler):
        use_smtp(settings, controller.port)
        handler.refuse_with = "421 4.7.0 Too busy"
        queued = _queue()
        call_command("db_worker", "--batch", "--no-startup-delay")
        queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (OutboxEmail.Status.PENDING, 1)
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after == queued.next_attempt_at


@pytest.mark.django_db(transaction=True)
def test_a_failed_mail_can_be_sent_again_once_the_server_is_back(settings, client):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    use_smtp(settings, free_port())
    queued = _queue()
    queued.refresh_from_db()
    assert queued.status == OutboxEmail.Status.FAILED
    with smtp_server() as (controller, handler):
        use_smtp(settings, controller.port)
        log_in(client, StaffFactory(is_staff=True, is_superuser=True))  # the admin needs strong authentication
        client.post("/fr/admin/notifications/outboxemail/", {"action": "requeue", "_selected_action": [queued.pk]})
        queued.refresh_from_db()
    assert queued.status == OutboxEmail.Status.SENT
    assert len(handler.envelopes) == 1


@pytest.mark.django_db
def test_a_server_that_keeps_answering_4xx_is_retried_then_the_mail_fails(settings, outcomes):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    with smtp_server() as (controller, handler):
        use_smtp(settings, controller.port)
        handler.refuse_with = "452 4.2.2 Mailbox full"
        queued = _queue()
        for attempt in range(1, 4):
            _due_again(queued.pk)
            services.deliver(queued.pk)
            queued.refresh_from_db()
            assert queued.attempts == attempt
    assert queued.status == OutboxEmail.Status.FAILED
    assert "452" in queued.last_error
    assert handler.envelopes == []
    assert outcomes == [("failed", queued.pk)]
