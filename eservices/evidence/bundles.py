"""Evidence bundles: what a court needs to know about one deposit or one message, in a ZIP a person can check
without the portal.

``summary.pdf`` lists, in the addressee's language, the documents (name, size, SHA-256) and every evidence event
with its trusted time; it embeds the same facts as ``evidence.json`` (in the manner of ETSI EN 319 522: the
evidence's subject, each event with its time, actor and details) and is sealed by the platform as PAdES B-LTA,
like a proof of deposit. The ZIP also holds the documents themselves (``documents/NN-name``) and ``evidence.json``.
``verify_receipt bundle.zip`` checks the seal, then that every document of the ZIP is the one the summary lists,
and that none is missing: one changed byte anywhere fails.
"""

import hashlib
import io
import json
import re
import zipfile

from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from eservices.signing import services as signing

from . import receipts
from .models import EvidenceEvent

FORMAT = receipts.BUNDLE_FORMAT
JSON_NAME = receipts.BUNDLE_JSON_NAME
SUMMARY_NAME = "summary.pdf"
DOCUMENTS = "documents/"


def safe_name(name):
    return re.sub(r"[^\w.\- ]", "_", name).strip() or "file"


def event_entry(event):
    """One evidence event as the bundle states it."""
    return {
        "event": event.event,
        "time": event.occurred_at.isoformat(),
        "actor": event.actor_label,
        "capacity": event.capacity,
        "details": event.details,
    }


def facts_for(*, subject_kind, reference, language, addressee, documents, events, extra=None):
    """The bundle's facts: ``documents`` are ``(name, size, sha256, media_type)``; ``events`` evidence events."""
    return {
        "format": FORMAT,
        "subject": {"kind": subject_kind, "reference": reference, **(extra or {})},
        "language": language,
        "addressee": addressee,
        "files": [
            {"name": name, "size": size, "sha256": sha256, "media_type": media_type}
            for name, size, sha256, media_type in documents
        ],
        "events": [event_entry(event) for event in events],
    }


def _event_label(code):
    return str(EvidenceEvent.Event(code).label) if code in EvidenceEvent.Event.values else code


def render_summary(facts):
    """The unsigned summary PDF in the facts' language, with ``evidence.json`` embedded."""
    language = facts["language"] if facts["language"] in receipts.SECOND_LANGUAGE else "fr"
    with translation.override(language):
        pdf = FPDF(format="A4")
        title = _("Evidence of %(reference)s") % {"reference": facts["subject"]["reference"]}
        pdf.set_title(title)
        pdf.set_author("INAMI-RIZIV SECM eServices")
        pdf.set_lang(language)
        pdf.add_font("Sans", "", str(receipts.FONT_DIR / "SourceSansPro-Regular.ttf"))
        pdf.add_font("Sans", "B", str(receipts.FONT_DIR / "SourceSansPro-Bold.ttf"))
        pdf.set_auto_page_break(auto=True, margin=18)
        pdf.add_page()
        pdf.set_font("Sans", "B", 16)
        pdf.multi_cell(0, 8, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Sans", size=10)
        if facts.get("addressee"):
            pdf.multi_cell(
                0, 5, _("Addressee: %(name)s") % {"name": facts["addressee"]}, new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
        pdf.ln(3)
        pdf.set_font("Sans", "B", 12)
        pdf.cell(0, 7, _("Documents"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for index, item in enumerate(facts["files"], start=1):
            pdf.set_font("Sans", "B", 10)
            pdf.multi_cell(0, 5, f"{index}. {item['name']}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font("Courier", size=8.5)
            pdf.multi_cell(
                0, 4.5, f"{item['size']} bytes · SHA-256 {item['sha256']}", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
        pdf.ln(3)
        pdf.set_font("Sans", "B", 12)
        pdf.cell(0, 7, _("Evidence events"), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        for entry in facts["events"]:
            pdf.set_font("Sans", "B", 10)
            pdf.multi_cell(0, 5, _event_label(entry["event"]), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font("Sans", size=9)
            line = receipts.both_times(entry["time"])
            if entry["actor"]:
                line += f" · {entry['actor']}"
            pdf.multi_cell(0, 4.5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(4)
        pdf.set_font("Sans", size=8.5)
        pdf.multi_cell(
            0,
            4.2,
            _(
                "This summary carries %(seal)s and %(timestamp)s. The same facts are embedded as %(name)s; the "
                "documents are in the same bundle. Check it offline with verify_receipt."
            )
            % {"seal": receipts.seal_wording(), "timestamp": receipts.timestamp_wording(), "name": JSON_NAME},
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    pdf.embed_file(
        bytes=receipts.facts_json(facts), basename=JSON_NAME, mime_type="application/json", desc="Evidence: facts"
    )
    return bytes(pdf.output())


def build(facts, documents):
    """The sealed bundle (ZIP bytes): ``documents`` are ``(name, chunks)`` in the order of ``facts["files"]``.
    Raises ``signing.SigningUnavailable`` when the seal or the TSA cannot be had now."""
    summary = signing.sign_pdf(
        render_summary(facts), reason=f"Evidence {facts['subject']['reference']}", field_name="Evidence"
    )
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(SUMMARY_NAME, summary)
        archive.writestr(JSON_NAME, receipts.facts_json(facts))
        for index, ((name, chunks), item) in enumerate(zip(documents, facts["files"], strict=True), start=1):
            digest = hashlib.sha256()
            with archive.open(f"{DOCUMENTS}{index:02d}-{safe_name(name)}", "w") as target:
                for chunk in chunks:
                    digest.update(chunk)
                    target.write(chunk)
            if digest.hexdigest() != item["sha256"]:
                raise ValueError(f"{name}: the stored bytes do not match the recorded SHA-256")
    return output.getvalue()


def open_bundle(data):
    """``(summary_pdf, [(name, bytes)])`` from a bundle's bytes; ``None`` when it is no readable bundle."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if archive.testzip() is not None:
                return None
            names = archive.namelist()
            if SUMMARY_NAME not in names:
                return None
            documents = [(name, archive.read(name)) for name in names if name.startswith(DOCUMENTS)]
            return archive.read(SUMMARY_NAME), documents
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def is_bundle(data):
    return data[:4] == b"PK\x03\x04"


def json_facts(data):
    """The facts embedded in a summary, when they are a bundle's."""
    facts = json.loads(data)
    return facts if isinstance(facts, dict) and facts.get("format") == FORMAT else None
