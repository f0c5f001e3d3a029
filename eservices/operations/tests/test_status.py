"""ops_status: pending work that waits too long, a job that failed or stopped, a missing antivirus raise an alert."""

import datetime

import pytest
from django.utils import timezone

from eservices.core.models import JobRun
from eservices.notifications.models import OutboxEmail
from eservices.operations import scheduler, status

pytestmark = pytest.mark.django_db


def by_name(now=None):
    return {check.name: check for check in status.report(now)}


def test_everything_fresh_is_ok_and_late_work_is_reported(settings, monkeypatch):
    monkeypatch.setattr(scheduler, "JOBS", {**scheduler.JOBS, "audit_checkpoint": lambda: None})
    scheduler.run_due("me")
    checks = by_name()
    assert checks["scheduler:outbox"].ok and checks["e-mails due"].ok and checks["pending scans"].ok
    assert not checks["audit checkpoint"].ok  # none was ever written (the job was replaced above)
    OutboxEmail.objects.create(
        template="t",
        to="a@example.org",
        language="fr",
        subject="s",
        body_text="b",
        next_attempt_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert not by_name()["e-mails due"].ok
    later = timezone.now() + datetime.timedelta(hours=1)
    assert not by_name(later)["scheduler:outbox"].ok  # the scheduler stopped an hour ago
    JobRun.objects.filter(name="retention").update(last_error="Traceback ...\nOSError: disk full")
    assert by_name()["scheduler:retention"].detail == "failed: OSError: disk full"


def test_no_antivirus_in_production_is_an_alert(settings):
    settings.CLAMD_ADDRESS, settings.INTAKE_RELEASE_UNSCANNED = "", False
    assert by_name()["antivirus"].detail == "none: no file is ever released" and not by_name()["antivirus"].ok
