import datetime

from django.core.management.base import BaseCommand

from eservices.intake import services


class Command(BaseCommand):
    help = "Remove intake leftovers (work files, stored bytes without a row) older than --hours."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=24, help="minimum age of a leftover, in hours")

    def handle(self, *args, hours, **options):
        work, orphans = services.cleanup(older_than=datetime.timedelta(hours=hours))
        self.stdout.write(f"{work} work file(s) and {orphans} orphan(s) removed")
