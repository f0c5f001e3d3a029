import time

from django.core.management.base import BaseCommand

from eservices.intake import services


class Command(BaseCommand):
    help = "Scan the files waiting for the antivirus (once, or every --every seconds)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: once)")
        parser.add_argument("--limit", type=int, default=100, help="files per round")

    def handle(self, *args, every, limit, **options):
        while True:
            done = services.process_pending_scans(limit=limit)
            self.stdout.write(f"{len(done)} file(s) scanned")
            if not every:
                return
            time.sleep(every)
