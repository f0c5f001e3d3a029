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
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
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
    """One line of the report: ``name`` and ``detail`` in English for the monitoring (ops_status), ``label`` and
    ``summary`` translated for the operator's status page."""

    name: str
    ok: bool
    detail: str
    label: object = ""
    summary: object = ""


JOB_LABELS = {
    "pending_scans": _("Virus scans of waiting files"),
    "pending_receipts": _("Signature of waiting proofs of deposit"),
    "outbox": _("E-mails (sending and retries)"),
    "mailbox_jobs": _("Mailbox deadlines and reminders"),
    "intake_cleanup": _("Cleanup of interrupted uploads"),
    "retention": _("Retention periods"),
    "audit_checkpoint": _("Time-stamped audit checkpoint"),
}


def _seconds(value):
    return int(value.total_seconds())


def _late(job):
    return 2 * datetime.timedelta(seconds=settings.SCHEDULE[job]) + GRACE


def _oldest(name, label, job, oldest, now):
    if oldest is None:
        return Check(name, True, "none waiting", label, _("none waiting"))
    waited = now - oldest
    return Check(
        name,
        waited <= _late(job),
        f"oldest waiting {_seconds(waited)} s",
        label,
        format_lazy(_("the oldest has waited {seconds} s"), seconds=_seconds(waited)),
    )


def report(now=None) -> list[Check]:
    now = now or timezone.now()
    checks = []
    if settings.CLAMD_ADDRESS:
        answers = antivirus.ping()
        checks.append(
            Check(
                "antivirus",
                answers,
                "clamd answers" if answers else "clamd down",
                _("Antivirus"),
                _("clamd answers") if answers else _("clamd does not answer: files wait for their scan"),
            )
        )
    else:
        released = settings.INTAKE_RELEASE_UNSCANNED
        checks.append(
            Check(
                "antivirus",
                released,
                "none: files released unscanned" if released else "none: no file is ever released",
                _("Antivirus"),
                _("none: files are released unscanned") if released else _("none: no file is ever released"),
            )
        )
    tsa_ok = bool(settings.SIGNING_TSA_URL) or not settings.PRODUCTION
    checks.append(
        Check(
            "tsa",
            tsa_ok,
            settings.SIGNING_TSA_URL or "in-process demo TSA",
            _("Time-stamping authority"),
            settings.SIGNING_TSA_URL or (_("in-process demo TSA") if tsa_ok else _("none configured")),
        )
    )
    runs = {run.name: run for run in JobRun.objects.all()}
    for job in JOBS:
        run = runs.get(job)
        label = format_lazy(_("Scheduler: {job}"), job=JOB_LABELS.get(job, job))
        if run is None or run.last_started_at is None:
            checks.append(Check(f"scheduler:{job}", False, "never ran", label, _("never ran")))
        elif run.last_error:
            error = run.last_error.strip().splitlines()[-1]
            checks.append(
                Check(
                    f"scheduler:{job}", False, f"failed: {error}", label, format_lazy(_("failed: {error}"), error=error)
                )
            )
        else:
            waited = now - run.last_started_at
            checks.append(
                Check(
                    f"scheduler:{job}",
                    waited <= _late(job),
                    f"last run {_seconds(waited)} s ago",
                    label,
                    format_lazy(_("last run {seconds} s ago"), seconds=_seconds(waited)),
                )
            )
    scans = StoredFile.objects.filter(scan_status=ScanStatus.PENDING).aggregate(oldest=Min("created_at"))["oldest"]
    checks.append(_oldest("pending scans", _("Files waiting for the virus scan"), "pending_scans", scans, now))
    receipts = pending_receipts().aggregate(oldest=Min("accepted_at"))["oldest"]
    checks.append(
        _oldest("pending receipts", _("Proofs of deposit waiting to be signed"), "pending_receipts", receipts, now)
    )
    mails = OutboxEmail.objects.filter(status=OutboxEmail.Status.PENDING, next_attempt_at__lte=now).aggregate(
        oldest=Min("next_attempt_at")
    )["oldest"]
    checks.append(_oldest("e-mails due", _("E-mails due"), "outbox", mails, now))
    if settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend":
        task = DBTaskResult.objects.ready().aggregate(oldest=Min("enqueued_at"))["oldest"]
        waited = now - task if task else datetime.timedelta(0)
        checks.append(
            Check(
                "worker",
                waited <= WORKER_LATE,
                f"oldest ready task waited {_seconds(waited)} s",
                _("Task worker"),
                format_lazy(_("the oldest waiting task has waited {seconds} s"), seconds=_seconds(waited)),
            )
        )
    return [*checks, _checkpoint(now)]


def _checkpoint(now):
    last = AuditCheckpoint.objects.order_by("-created_at").values_list("created_at", flat=True).first()
    label = _("Last audit checkpoint")
    if last is None:
        return Check("audit checkpoint", False, "none yet", label, _("none yet"))
    waited = now - last
    hours = _seconds(waited) // 3600
    return Check(
        "audit checkpoint",
        waited <= CHECKPOINT_LATE,
        f"last {hours} h ago",
        label,
        format_lazy(_("the last one is {hours} h old"), hours=hours),
    )
