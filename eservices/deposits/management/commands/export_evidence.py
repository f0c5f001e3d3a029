"""``manage.py export_evidence DEPOSIT_NUMBER --out DIR``: the evidence bundle of one deposit, for a court or an
auditor: the signed receipt, the deposited files (as deposited, named by position and name), the evidence events
as JSON, and a manifest with every file's SHA-256."""

import hashlib
import json
import re
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from eservices.deposits.models import Deposit
from eservices.deposits.services import receipt_of
from eservices.evidence.receipts import facts_json
from eservices.evidence.services import events_for


def _safe(name):
    return re.sub(r"[^\w.\- ]", "_", name).strip() or "file"


class Command(BaseCommand):
    help = "Write a deposit's receipt, files and evidence events to a folder."

    def add_arguments(self, parser):
        parser.add_argument("number", help="Deposit number, e.g. DEP-2026-000123.")
        parser.add_argument("--out", required=True, help="Folder to write to (created; must be empty if it exists).")

    def handle(self, *args, **options):
        deposit = Deposit.objects.filter(number=options["number"]).first()
        if deposit is None:
            raise CommandError(f"no deposit {options['number']}")
        out = Path(options["out"])
        if out.exists() and any(out.iterdir()):
            raise CommandError(f"{out} is not empty")
        (out / "files").mkdir(parents=True, exist_ok=True)
        manifest = {}
        receipt = receipt_of(deposit)
        if receipt is not None and receipt.pdf:
            with receipt.pdf.open("rb") as source:
                manifest["receipt.pdf"] = self._write(out / "receipt.pdf", source)
        else:
            self.stderr.write("The receipt is not signed yet; its facts are in facts.json.")
        for item in deposit.files.all():
            relative = f"files/{item.position:02d}-{_safe(item.original_filename)}"
            # The bytes as received, whatever their scan status: this is an operator's command, not a download.
            with default_storage.open(item.stored_file.storage_key, "rb") as source:
                manifest[relative] = self._write(out / relative, source)
            if manifest[relative] != item.sha256:
                raise CommandError(f"{item.original_filename}: stored bytes do not match the recorded SHA-256")
        (out / "facts.json").write_bytes(facts_json(receipt.facts) if receipt else b"{}")
        events = [
            {
                "event": event.event,
                "occurred_at": event.occurred_at.isoformat(),
                "actor": event.actor_label,
                "capacity": event.capacity,
                "details": event.details,
            }
            for event in events_for(deposit)
        ]
        (out / "evidence-events.json").write_text(json.dumps(events, indent=2, ensure_ascii=False), encoding="utf-8")
        for name in ("facts.json", "evidence-events.json"):
            manifest[name] = hashlib.sha256((out / name).read_bytes()).hexdigest()
        (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        self.stdout.write(f"Evidence of {deposit.number} written to {out}")

    @staticmethod
    def _write(path, source):
        digest = hashlib.sha256()
        with path.open("wb") as target:
            for chunk in iter(lambda: source.read(1024 * 1024), b""):
                digest.update(chunk)
                target.write(chunk)
        return digest.hexdigest()
