"""Verify a proof of deposit offline: ``manage.py verify_receipt RECEIPT.pdf [FILE ...]``, or an evidence bundle:
``manage.py verify_receipt BUNDLE.zip`` (its summary's seal, and each of its documents against the summary).

Exit 0 only when the signature is intact and made by the configured platform certificate, the timestamp is
valid and trusted, nothing was appended after signing, and every FILE given matches a file of the receipt.
Exit 1 otherwise, saying which check failed; exit 2 when a file cannot be read.
"""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from eservices.evidence import bundles, receipts, services


def _chunks(path, size=1024 * 1024):
    with path.open("rb") as handle:
        while chunk := handle.read(size):
            yield chunk


class Command(BaseCommand):
    help = "Verify a proof of deposit (and optionally the deposited files) offline."

    def add_arguments(self, parser):
        parser.add_argument("receipt", help="The receipt PDF.")
        parser.add_argument("files", nargs="*", help="Deposited files to check against the receipt.")

    def handle(self, *args, **options):
        receipt_path = Path(options["receipt"])
        paths = [Path(name) for name in options["files"]]
        for path in [receipt_path, *paths]:
            if not path.is_file():
                raise CommandError(f"cannot read {path}", returncode=2)
        data = receipt_path.read_bytes()
        if bundles.is_bundle(data):
            result = services.verify_bundle(data)
        else:
            result = services.verify_receipt(data, [(path.name, _chunks(path)) for path in paths])
        if result.facts and result.facts.get("format") == bundles.FORMAT:
            self.stdout.write(
                f"Evidence of {result.facts['subject']['reference']}: {len(result.facts['files'])} document(s), "
                f"{len(result.facts['events'])} event(s)"
            )
            for entry in result.facts["events"]:
                self.stdout.write(f"  {receipts.both_times(entry['time'])}  {entry['event']}  {entry['actor']}")
        elif result.facts:
            self.stdout.write(
                f"Deposit {result.facts['deposit_number']} accepted at "
                f"{receipts.brussels_time(result.facts['accepted_at'])}, case file {result.facts['case_file']}"
            )
        for check in result.checks:
            line = f"{'OK  ' if check.ok else 'FAIL'} {check.name}: {check.message}"
            (self.stdout if check.ok else self.stderr).write(line)
        if not result.ok:
            self.stderr.write(f"Verification failed: {', '.join(sorted({c.name for c in result.failed}))}")
            sys.exit(1)
        self.stdout.write("Verification passed.")
