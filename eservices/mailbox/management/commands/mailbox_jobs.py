import time

from django.core.management.base import BaseCommand

from eservices.mailbox import services
from eservices.notifications.services import deliver_due


class Command(BaseCommand):
    help = (
        "Run the mailbox's periodic jobs (deemed received, not opened, reminders) and send the outbox's due "
        "e-mails (grouped alerts, retries); once, or every --every seconds."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds (0: once)")

    def handle(self, *args, every, **options):
        while True:
            counts = services.run_jobs()
            sent = deliver_due()
            self.stdout.write(
                "deemed received: {deemed_received}, not opened: {not_opened}, reminders: {reminders}".format(**counts)
                + f", e-mails processed: {len(sent)}"
            )
            if not every:
                return
            time.sleep(every)
