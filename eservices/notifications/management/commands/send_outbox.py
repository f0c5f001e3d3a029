import time

from django.core.management.base import BaseCommand

from eservices.notifications import services


class Command(BaseCommand):
    help = "Send the outbox's due e-mails (once, or every --every seconds)."

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: once)")

    def handle(self, *args, every, **options):
        while True:
            sent = services.deliver_due()
            self.stdout.write(f"{len(sent)} e-mail(s) processed")
            if not every:
                return
            time.sleep(every)
