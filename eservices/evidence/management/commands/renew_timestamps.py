"""``manage.py renew_timestamps``: add an archive timestamp to every proof of deposit whose last timestamp's
certificate expires within ``SIGNING_RENEW_TIMESTAMP_DAYS`` (PAdES B-LTA), so that it stays verifiable after the
certificates expire. Safe to run again (cron, daily): a receipt re-stamped within a day is left alone.

Exit 0 when every receipt due was renewed, 1 when the TSA failed for one (it is retried on the next run).
"""

import sys

from django.core.management.base import BaseCommand

from eservices.evidence import services


class Command(BaseCommand):
    help = "Re-timestamp stored proofs of deposit whose last timestamp certificate nears expiry."

    def handle(self, *args, **options):
        counts = {"renewed": 0, "recent": 0, "unavailable": 0}
        for receipt in services.receipts_to_renew().iterator():
            counts[services.renew_timestamp(receipt)] += 1
        self.stdout.write(
            f"{counts['renewed']} renewed, {counts['recent']} already renewed, {counts['unavailable']} failed"
        )
        if counts["unavailable"]:
            sys.exit(1)
