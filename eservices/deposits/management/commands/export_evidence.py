"""``manage.py export_evidence DEPOSIT_NUMBER --out DIR``: the evidence of one deposit, for a court or an
auditor: the signed receipt, the deposited files (as deposited, named by position and name), the evidence events
as JSON, a manifest with every file's SHA-256, and ``evidence-bundle.zip``, the same sealed and time-stamped
(``evidence.bundles``; check it with ``verify_receipt evidence-bundle.zip``).

``manage.py export_evidence --message ID --out DIR``: the sealed evidence bundle of one message of the mailbox."""

import hashlib
import json
import re
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError

from eservices.deposits.models import Deposit
from eservices.deposits.services import evidence_bundle, receipt_of
from eservices.evidence.receipts import facts_json
from eservices.evidence.services import events_for
from eservices.signing.services import SigningUnavailable


def _safe(name):
    return re.sub(r"[^\w.\- ]", "_", name).strip() or "file"


class Command(BaseCommand):
    help = "Write a deposit's receipt, files and evidence events to a folder."

    def add_arguments(self, parser):
        parser.add_argument("number", nargs="?", help="Deposit number, e.g. DEP-2026-000123.")
        parser.add_argument("--message", type=int, help="The id of a message of the mailbox, instead of a deposit.")
        parser.add_argument("--out", required=True, help="Folder to write to (created; must be empty if it exists).")

    def handle(self, *args, **options):
        out = Path(options["out"])
        if out.exists() and any(out.iterdir()):
            raise CommandError(f"{out} is not empty")
        if options["message"]:
            return self._message(options["message"], out)
        deposit = Deposit.objects.filter(number=options["number"] or "").first()
        if deposit is None:
            raise CommandError(f"no deposit {options['number']}")
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
        self._bundle(out, lambda: evidence_bundle(deposit))
        self.stdout.write(f"Evidence of {deposit.number} written to {out}")

    def _message(self, message_id, out):
        from eservices.mailbox.models import Message
        from eservices.mailbox.services import evidence_bundle as message_bundle

        message = Message.objects.filter(pk=message_id).first()
        if message is None:
            raise CommandError(f"no message {message_id}")
        out.mkdir(parents=True, exist_ok=True)
        self._bundle(out, lambda: message_bundle(message))
        self.stdout.write(f"Evidence of message {message_id} written to {out}")

    def _bundle(self, out, make):
        try:
            data = make()
        except SigningUnavailable as error:
            raise CommandError(f"the evidence bundle cannot be sealed now: {error}") from error
        (out / "evidence-bundle.zip").write_bytes(data)

    @staticmethod
    def _write(path, source):
        digest = hashlib.sha256()
        with path.open("wb") as target:
            for chunk in iter(lambda: source.read(1024 * 1024), b""):
                digest.update(chunk)
                target.write(chunk)
        return digest.hexdigest()
