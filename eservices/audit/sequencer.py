"""The audit sequencer: the one process that seals the entries requests wrote into the hash chain, in batches.

Requests only insert their entry (no lock; see ``services.record``), so that audited requests run side by side;
this loop seals what is waiting every ``AUDIT_SEAL_INTERVAL`` seconds, as transparency logs do. A lease in the
database (``core.leases``) lets a copy run on every worker machine (inside ``run_scheduler``, or as
``run_audit_sequencer``) while one works, taken over within ``LEASE_SECONDS`` when it dies; the chain's lock
in ``seal_pending`` still keeps two sealers from forking the chain if a paused holder wakes after a takeover.
"""

import logging
import threading

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection

from eservices.core import leases

from .services import seal_pending

logger = logging.getLogger(__name__)

LEASE = "audit_sequencer"
LEASE_SECONDS = 10


def seal_all() -> int:
    """Seal every entry waiting now, batch after batch; the number sealed (a scheduler job, and the loop's step)."""
    total = 0
    while True:
        sealed = seal_pending(settings.AUDIT_SEAL_BATCH)
        total += len(sealed)
        if len(sealed) < settings.AUDIT_SEAL_BATCH:
            return total


def step(holder: str) -> int | None:
    """One turn: seal what is waiting if ``holder`` holds (or takes) the lease; None when another one holds it."""
    if not leases.acquire(LEASE, holder, seconds=LEASE_SECONDS):
        return None
    return seal_all()


def run(holder: str, stop: threading.Event, *, interval: float | None = None) -> None:
    """Seal the waiting entries every ``interval`` seconds while this process holds the lease, until ``stop``.

    A database outage is logged and waited out (the connection is dropped and opened again on the next turn).
    """
    interval = settings.AUDIT_SEAL_INTERVAL if interval is None else interval
    try:
        while not stop.is_set():
            try:
                step(holder)
            except DatabaseError:
                logger.exception("audit sequencer: database unavailable", extra={"event": {"action": "audit.down"}})
                close_old_connections()
                connection.close()
            stop.wait(interval)
    finally:
        try:
            leases.release(LEASE, holder)
        except DatabaseError:  # the lease then expires by itself
            logger.warning("audit sequencer: lease not released, database unavailable")
        connection.close()


def start_thread(holder: str) -> tuple[threading.Thread, threading.Event]:
    """Run the sequencer in a daemon thread of this process (its own database connection); set the event to stop."""
    stop = threading.Event()
    thread = threading.Thread(target=run, args=(holder, stop), name="audit-sequencer", daemon=True)
    thread.start()
    return thread, stop
