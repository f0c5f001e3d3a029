"""The operator's view of what /readyz does not cover: antivirus, TSA, worker, scheduler, pending work, checkpoints.

``manage.py ops_status`` prints one line per check and exits 1 when one needs attention, for the monitoring
system to alert on (docs/deployment.md). Each pending queue is late when its oldest item has waited more than
twice the interval of the job that releases it, plus five minutes.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Min
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from eservices.audit.models import AuditCheckpoint
from eservices.core.models import JobRun
from eservices.evidence.services import pending_receipts
from eservices.intake import antivirus
from eservices.intake.models import ScanStatus, StoredFile
from eservices.notifications.models import OutboxEmail

from .scheduler import JOBS

GRACE = datetime.timedelta(minutes=5)
WORKER_LATE = datetime.timedelta(minutes=5)
CHECKPOINT_LATE = datetime.timedelta(days=2)


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def _late(job):
    return 2 * datetime.timedelta(seconds=settings.SCHEDULE[job]) + GRACE


def _oldest(name, job, oldest, now):
    if oldest is None:
        return Check(name, True, "none waiting")
    waited = now - oldest
    return Check(name, waited <= _late(job), f"oldest waiting {int(waited.total_seconds())} s")


def report(now=None) -> list[Check]:
    now = now or timezone.now()
    checks = []
    if settings.CLAMD_ADDRESS:
        answers = antivirus.ping()
        checks.append(Check("antivirus", answers, "clamd answers" if answers else "clamd down"))
    else:
        released = settings.INTAKE_RELEASE_UNSCANNED
        checks.append(
            Check(
                "antivirus",
                released,
                "none: files released unscanned" if released else "none: no file is ever released",
            )
        )
    checks.append(
        Check(
            "tsa",
            bool(settings.SIGNING_TSA_URL) or not settings.PRODUCTION,
            settings.SIGNING_TSA_URL or "in-process demo TSA",
        )
    )
    runs = {run.name: run for run in JobRun.objects.all()}
    for job in JOBS:
        run = runs.get(job)
        if run is None or run.last_started_at is None:
            checks.append(Check(f"scheduler:{job}", False, "never ran"))
        elif run.last_error:
            checks.append(Check(f"scheduler:{job}", False, f"failed: {run.last_error.strip().splitlines()[-1]}"))
        else:
            waited = now - run.last_started_at
            checks.append(
                Check(f"scheduler:{job}", waited <= _late(job), f"last run {int(waited.total_seconds())} s ago")
            )
    scans = StoredFile.objects.filter(scan_status=ScanStatus.PENDING).aggregate(oldest=Min("created_at"))["oldest"]
    checks.append(_oldest("pending scans", "pending_scans", scans, now))
    receipts = pending_receipts().aggregate(oldest=Min("accepted_at"))["oldest"]
    checks.append(_oldest("pending receipts", "pending_receipts", receipts, now))
    mails = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now).aggregate(
        oldest=Min("next_attempt_at")
    )["oldest"]
    checks.append(_oldest("e-mails due", "outbox", mails, now))
    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        task = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"))["oldest"]
        waited = now - task if task else datetime.timedelta(0)
        checks.append(
            Check("worker", waited <= WORKER_LATE, f"oldest ready task waited {int(waited.total_seconds())} s")
        )
    return [*checks, _checkpoint(now)]


def _checkpoint(now):
    last = AuditCheckpoint.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    if last is None:
        return Check("audit checkpoint", False, "none yet")
    waited = now - last
    return Check("audit checkpoint", waited <= CHECKPOINT_LATE, f"last {int(waited.total_seconds() // 3600)} h ago")
