"""The scheduler releases pending work without anyone running a command by hand (the drill found it waiting)."""

import datetime
import io

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from eservices.casefiles.tests.factories import CaseFileFactory
from eservices.core import leases
from eservices.core.models import JobRun, Lease
from eservices.deposits import services as deposit_services
from eservices.deposits.tests.factories import make_deposit
from eservices.evidence.models import DepositReceipt
from eservices.identity.tests.factories import UserFactory
from eservices.intake import services as intake_services
from eservices.intake.models import ScanStatus
from eservices.intake.tests.corpus import fpdf_pdf
from eservices.notifications.models import OutboxEmail
from eservices.operations import scheduler
from eservices.signing.testing import LocalTSA

pytestmark = pytest.mark.django_db


def run_once():
    out = io.StringIO()
    call_command("run_scheduler", "--once", stdout=out)
    return out.getvalue()


def test_every_job_has_an_interval(settings):
    assert set(scheduler.JOBS) == set(settings.SCHEDULE)


def test_a_queued_receipt_is_signed_once_the_tsa_is_back(settings):
    stamper = deposit_services.evidence.signing.timestamper()
    with LocalTSA(stamper, fail=True) as url:
        settings.SIGNING_TSA_URL = url
        deposit = make_deposit(UserFactory(), CaseFileFactory())
    receipt = deposit_services.receipt_of(deposit)
    assert receipt.status == DepositReceipt.Status.PENDING
    with LocalTSA(stamper) as url:
        settings.SIGNING_TSA_URL = url
        assert "pending_receipts" in run_once()
    receipt.refresh_from_db()
    assert receipt.status == DepositReceipt.Status.SIGNED


def test_an_e_mail_to_retry_leaves(settings):
    email = OutboxEmail.objects.create(
        template="t", to="a@example.org", language="fr", subject="s", body_text="b", next_attempt_at=timezone.now()
    )
    run_once()
    email.refresh_from_db()
    assert email.status == OutboxEmail.Status.SENT and len(mail.outbox) == 1


def test_a_file_waiting_for_clamd_is_scanned_once_clamd_is_back(clamd, settings, tmp_path):
    settings.CLAMD_ADDRESS = f"unix:{tmp_path / 'nowhere.sock'}"
    stored = intake_services.receive(ContentFile(fpdf_pdf(), name="a.pdf"), policy="deposit").stored_file
    assert stored.scan_status == ScanStatus.PENDING
    settings.CLAMD_ADDRESS = clamd
    run_once()
    stored.refresh_from_db()
    assert stored.scan_status == ScanStatus.CLEAN and stored.is_released


def test_jobs_run_at_their_interval_and_a_failure_is_recorded(settings, monkeypatch):
    def broken():
        raise RuntimeError("TSA away")

    monkeypatch.setattr(scheduler, "JOBS", {**scheduler.JOBS, "audit_checkpoint": broken})
    assert set(scheduler.run_due("me")) == set(scheduler.JOBS)
    failed = JobRun.objects.get(name="audit_checkpoint")
    assert "TSA away" in failed.last_error and failed.last_finished_at
    assert scheduler.run_due("me") == []  # nothing due again yet
    JobRun.objects.filter(name="outbox").update(last_started_at=timezone.now() - datetime.timedelta(seconds=61))
    assert scheduler.run_due("me") == ["outbox"]


def test_one_scheduler_works_at_a_time_and_another_takes_over_an_expired_lease():
    assert scheduler.run_due("first") is not None
    assert scheduler.run_due("second") is None
    assert "another scheduler holds the lease" in run_once()
    Lease.objects.filter(name=scheduler.LEASE).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert scheduler.run_due("second") is not None
    assert not leases.acquire(scheduler.LEASE, "first", seconds=60)
    leases.release(scheduler.LEASE, "second")
    assert leases.acquire(scheduler.LEASE, "first", seconds=60)


def test_the_scheduler_outlives_a_database_outage(monkeypatch):
    """PostgreSQL restarting (simulated: the first round raises) does not end the loop; the next round runs.
    close_old_connections is left out here: it would end pytest-django's test transaction."""
    import os
    import signal

    from django.db import OperationalError

    from eservices.operations.management.commands import run_scheduler

    rounds = []

    def flaky(holder):
        rounds.append(holder)
        if len(rounds) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        os.kill(os.getpid(), signal.SIGTERM)  # a clean stop after the second round
        return ["outbox"]

    monkeypatch.setattr(scheduler, "run_due", flaky)
    monkeypatch.setattr(run_scheduler, "close_old_connections", lambda: None)
    out = io.StringIO()
    call_command("run_scheduler", "--tick", "0", stdout=out)
    assert len(rounds) == 2 and "ran: outbox" in out.getvalue()
