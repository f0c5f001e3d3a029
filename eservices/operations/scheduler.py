"""The scheduler: the periodic jobs that release pending work, run by one process (``manage.py run_scheduler``).

Why a management command with a database lease rather than cron or a library: the portal already has its
database and its worker (django-tasks-db has no periodic tasks); a lease in that database lets a copy of the
scheduler run on every worker machine while only one of them works, and takes over within LEASE_SECONDS when
that one dies, with no extra service (no Celery beat, no Redis lock: Redis may be down). Each job's last run is
recorded in :class:`eservices.core.models.JobRun`, so a job that failed or is late can be seen and alerted on.
The intervals are ``settings.SCHEDULE`` (seconds).
"""

import logging
import traceback
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from eservices.access.services import apply_visits
from eservices.audit import sequencer
from eservices.audit.services import checkpoint
from eservices.casefiles.services import apply_retention
from eservices.core import leases
from eservices.core.models import JobRun
from eservices.deposits.services import sign_pending_receipts
from eservices.intake.services import cleanup, process_pending_scans
from eservices.mailbox.services import run_jobs
from eservices.notifications.services import deliver_due

logger = logging.getLogger(__name__)

LEASE = "scheduler"
LEASE_SECONDS = 300  # renewed before each job: a job longer than this may see a second scheduler start

JOBS: dict[str, Callable[[], object]] = {
    "pending_scans": process_pending_scans,  # files waiting for the antivirus
    "pending_receipts": sign_pending_receipts,  # proofs of deposit waiting for the signer or the TSA
    "outbox": deliver_due,  # e-mails due, retries after a failed send, grouped alerts
    "mailbox_jobs": run_jobs,  # deemed received, not opened, reminders
    "intake_cleanup": cleanup,  # work files an interrupted upload left
    "retention": apply_retention,  # documents and personal data past their retention period
    "visits": apply_visits,  # grants' last visit, from the consultations recorded (a read writes no shared row)
    "audit_seal": sequencer.seal_all,  # audit entries left waiting (the sequencer thread seals them within 1 s)
    "audit_checkpoint": checkpoint,  # the audit chain's sealed head, time-stamped
}


def due_jobs(now=None) -> list[str]:
    """The jobs whose interval has passed since their last start (never run: due)."""
    now = now or timezone.now()
    last = dict(JobRun.objects.values_list("name", "last_started_at"))
    return [
        name for name in JOBS if last.get(name) is None or (now - last[name]).total_seconds() >= settings.SCHEDULE[name]
    ]


def run_due(holder: str) -> list[str] | None:
    """Run the due jobs if this process holds the lease; None when another scheduler holds it.

    A failing job is logged and recorded (``last_error``) and never stops the others.
    """
    ran = []
    for name in due_jobs():
        if not leases.acquire(LEASE, holder, seconds=LEASE_SECONDS):
            return None
        JobRun.objects.update_or_create(name=name, defaults={"last_started_at": timezone.now()})
        error = ""
        try:
            JOBS[name]()
        except Exception:  # noqa: BLE001 - one job's failure must not stop the others; it is recorded
            error = traceback.format_exc(limit=5)
            logger.exception("scheduled job failed", extra={"event": {"action": "scheduler.failed", "job": name}})
        JobRun.objects.filter(name=name).update(last_finished_at=timezone.now(), last_error=error)
        ran.append(name)
    if not ran and not leases.acquire(LEASE, holder, seconds=LEASE_SECONDS):
        return None
    return ran
