import os
import signal
import socket
import threading

from django.core.management.base import BaseCommand

from eservices.audit import sequencer


class Command(BaseCommand):
    help = (
        "Seal the audit entries requests wrote into the hash chain, every AUDIT_SEAL_INTERVAL seconds, for ever "
        "(or --once). Several copies may run: a lease in the database lets one work at a time. run_scheduler "
        "runs the same loop in a thread when AUDIT_SEALING is 'sequencer'."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="seal what is waiting now and stop")

    def handle(self, *args, once, **options):
        if once:
            self.stdout.write(f"sealed: {sequencer.seal_all()}")
            return
        stop = threading.Event()
        previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            sequencer.run(f"{socket.gethostname()}:{os.getpid()}", stop)
        except KeyboardInterrupt:
            stop.set()
        finally:
            signal.signal(signal.SIGTERM, previous)
