import sys

from django.core.management.base import BaseCommand

from eservices.operations import status


class Command(BaseCommand):
    help = (
        "Report what /readyz does not: antivirus, TSA, worker, each periodic job, the oldest pending scan, receipt "
        "and e-mail, the last audit checkpoint. Exits 1 when one needs attention (for the monitoring's alerts)."
    )

    def handle(self, *args, **options):
        checks = status.report()
        for check in checks:
            self.stdout.write(f"{'ok  ' if check.ok else 'LATE'}  {check.name}: {check.detail}")
        if not all(check.ok for check in checks):
            sys.exit(1)
