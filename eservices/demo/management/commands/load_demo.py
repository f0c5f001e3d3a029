from django.core.management.base import BaseCommand

from eservices.demo import data


class Command(BaseCommand):
    help = "Load the demo's units, staff, citizens and case files (idempotent)."

    def handle(self, *args, **options):
        data.load()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
