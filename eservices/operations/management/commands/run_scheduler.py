import logging
import os
import signal
import socket
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections

from eservices.audit import sequencer
from eservices.core import leases
from eservices.operations import scheduler

logger = logging.getLogger("eservices.operations.scheduler")


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (pending scans, pending receipts, outbox, mailbox jobs, intake cleanup, retention, "
        "audit checkpoints) at the intervals of settings.SCHEDULE, for ever (or --once). Several copies may run: "
        "a lease in the database lets one work at a time. With AUDIT_SEALING 'sequencer', a thread also seals "
        "the audit entries every AUDIT_SEAL_INTERVAL seconds (under a lease of its own)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the due jobs once and stop")
        parser.add_argument("--tick", type=float, default=5, help="seconds between two looks at the schedule")

    def handle(self, *args, once, tick, **options):
        holder = f"{socket.gethostname()}:{os.getpid()}"
        stopping = []
        previous = signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        sealing = None
        if settings.AUDIT_SEALING == "sequencer" and not once:
            sealing = sequencer.start_thread(holder)
        try:
            while not stopping:
                try:
                    ran = scheduler.run_due(holder)
                except DatabaseError:
                    if once:
                        raise
                    logger.exception("database unavailable", extra={"event": {"action": "scheduler.database_down"}})
                    ran = []
                if ran is None:
                    self.stdout.write("another scheduler holds the lease")
                elif ran:
                    self.stdout.write(f"ran: {', '.join(ran)}")
                if once:
                    return
                time.sleep(tick)
                # A connection broken by a database restart is dropped here (as at the start of each request):
                # the scheduler recovers by itself once PostgreSQL is back.
                close_old_connections()
        finally:
            signal.signal(signal.SIGTERM, previous)
            if sealing is not None:
                thread, stop = sealing
                stop.set()
                thread.join(timeout=30)
            try:
                leases.release(scheduler.LEASE, holder)
            except DatabaseError:  # the lease then expires by itself
                logger.warning("lease not released: database unavailable")
