import os
import signal
import socket
import time

from django.core.management.base import BaseCommand

from eservices.core import leases
from eservices.operations import scheduler


class Command(BaseCommand):
    help = (
        "Run the periodic jobs (pending scans, pending receipts, outbox, mailbox jobs, intake cleanup, retention, "
        "audit checkpoints) at the intervals of settings.SCHEDULE, for ever (or --once). Several copies may run: "
        "a lease in the database lets one work at a time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run the due jobs once and stop")
        parser.add_argument("--tick", type=float, default=5, help="seconds between two looks at the schedule")

    def handle(self, *args, once, tick, **options):
        holder = f"{socket.gethostname()}:{os.getpid()}"
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        try:
            while not stopping:
                ran = scheduler.run_due(holder)
                if ran is None:
                    self.stdout.write("another scheduler holds the lease")
                elif ran:
                    self.stdout.write(f"ran: {', '.join(ran)}")
                if once:
                    return
                time.sleep(tick)
        finally:
            leases.release(scheduler.LEASE, holder)
