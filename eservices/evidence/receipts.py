"""The proof of deposit as a PDF: the facts for a person (in the procedure's language first, the law of 15 June
1935 on the use of languages in judicial matters; then the person's own or the other national language) and for a
machine (the same facts as JSON, embedded in the PDF as ``proof-of-deposit.json``).

The facts are a plain dict (see docs/evidence.md)::

    {"format": FORMAT, "deposit_number": ..., "received_at": "2026-03-02T14:05:08+01:00",
     "accepted_at": "2026-03-02T14:05:09+01:00",
     "depositor": {"name": ..., "capacity": ...}, "case_file": ..., "addressee_unit": {"code": ..., "name_fr": ...},
     "message_sha256": ..., "files": [{"name": ..., "size": ..., "sha256": ..., "media_type": ...}]}
"""

import datetime
import io
import json
import zoneinfo
from pathlib import Path

import font_source_sans_pro
import pikepdf
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from pyhanko.pdf_utils.reader import PdfFileReader

from eservices.intake import pdf as intake_pdf

FORMAT = "secm-eservices/proof-of-deposit/1"
JSON_NAME = "proof-of-deposit.json"
# An evidence bundle's summary carries its facts under this name and format (evidence.bundles).
BUNDLE_FORMAT = "secm-eservices/evidence-bundle/1"
BUNDLE_JSON_NAME = "evidence.json"
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
FONT_DIR = Path(font_source_sans_pro.font_directory)
# A receipt is one to a few pages of some dozens of objects: far above that, a file is no receipt of ours.
MAX_OBJECTS = 2000
MAX_PAGES = 50
# The other national language shown beside the procedure's when the person reads the same or none is given.
SECOND_LANGUAGE = {"fr": "nl", "nl": "fr", "de": "fr", "en": "fr"}


def brussels_time(value):
    """``2026-03-02 14:05:09 (Europe/Brussels)`` from an aware datetime or its ISO form."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return f"{value.astimezone(BRUSSELS):%Y-%m-%d %H:%M:%S} (Europe/Brussels)"


def both_times(value):
    """The moment in Brussels time and in UTC, as a proof states it."""
    if isinstance(value, str):
        value = datetime.datetime.fromisoformat(value)
    return f"{brussels_time(value)} = {value.astimezone(datetime.UTC):%Y-%m-%d %H:%M:%S} UTC"


def timestamp_wording():
    """What the receipt may say of its timestamp (eIDAS art. 3(34), 41-42): "qualified" only when the setting
    says the TSA is a qualified trust service on the EU trusted list; the TSA's name when known."""
    qualified = settings.SIGNING_TSA_QUALIFIED
    text = _("a qualified electronic timestamp") if qualified else _("an electronic timestamp")
    if settings.SIGNING_TSA_NAME:
        text = _("%(timestamp)s from %(tsa)s") % {"timestamp": text, "tsa": settings.SIGNING_TSA_NAME}
    return text


def seal_wording():
    """The platform seals (a legal person, eIDAS art. 3(24)-(27), 35), it does not sign: "advanced" unless the
    setting says the certificate is qualified and on a qualified device."""
    if settings.SIGNING_SEAL_QUALIFIED:
        return _("the qualified electronic seal of the INAMI")
    return _("the advanced electronic seal of the INAMI")


def facts_json(facts):
    """The canonical JSON of the facts (sorted keys, UTF-8), as embedded and as exported."""
    return json.dumps(facts, sort_keys=True, ensure_ascii=False, indent=2).encode()


def _labels(language):
    with translation.override(language):
        return {
            "title": _("Proof of deposit"),
            "intro": _("The platform states that it accepted the following deposit."),
            "number": _("Deposit number"),
            "received_at": _("Deposited at (last byte received)"),
            "accepted_at": _("Accepted after the checks at"),
            "issued_at": _("Receipt issued at"),
            "delayed": _(
                "The sealing service was unavailable when the deposit was accepted: this receipt was issued later. "
                "The deposit counts as made at the time its last byte was received."
            ),
            "depositor": _("Depositor"),
            # Nobody checks the capacity a depositor chooses (a deposit needs no access): the receipt says so.
            "capacity": _("Capacity (declared by the depositor)"),
            "case_file": _("Case file"),
            "unit": _("Addressee unit"),
            "message": _("Message (SHA-256)"),
            "no_message": _("no message"),
            "files": _("Files"),
            "size": _("%(size)s bytes"),
            "verify": _(
                "This PDF carries %(seal)s and %(timestamp)s. The same facts are embedded as %(name)s. Check it "
                "offline with verify_receipt or on the portal's verification page."
            )
            % {"name": JSON_NAME, "seal": seal_wording(), "timestamp": timestamp_wording()},
        }


class _ReceiptPDF(FPDF):
    def footer(self):
        self.set_y(-12)
        self.set_font("Sans", size=8)
        self.set_text_color(90)
        self.cell(0, 6, f"{self.page_no()}/{{nb}}", align="C")


def _unit_name(unit, language):
    return unit.get(f"name_{language}") or unit.get("name_fr") or unit.get("code", "")


def render_pdf(facts, *, language, capacity_labels, issued_at=None, second_language=""):
    """The unsigned receipt PDF in ``language`` (the procedure's) then ``second_language`` (the person's, or the
    other national language when it is the same); ``capacity_labels`` maps a language to the capacity's label."""
    first = language if language in SECOND_LANGUAGE else "fr"
    second = second_language if second_language in SECOND_LANGUAGE and second_language != first else ""
    second = second or SECOND_LANGUAGE[first]
    primary, secondary = _labels(first), _labels(second)
    pdf = _ReceiptPDF(format="A4")
    pdf.set_title(f"{primary['title']} {facts['deposit_number']}")
    pdf.set_author("INAMI-RIZIV SECM eServices")
    pdf.set_creator("SECM eServices")
    pdf.set_lang(first)
    pdf.add_font("Sans", "", str(FONT_DIR / "SourceSansPro-Regular.ttf"))
    pdf.add_font("Sans", "B", str(FONT_DIR / "SourceSansPro-Bold.ttf"))
    pdf.add_font("Sans", "I", str(FONT_DIR / "SourceSansPro-It.ttf"))
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.add_page()
    pdf.set_font("Sans", "B", 18)
    pdf.cell(0, 9, primary["title"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Sans", "I", 13)
    pdf.set_text_color(90)
    pdf.cell(0, 7, secondary["title"], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0)
    pdf.set_font("Sans", size=10)
    pdf.ln(2)
    pdf.multi_cell(0, 5, f"{primary['intro']}\n{secondary['intro']}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)

    def row(key, value):
        label_width = 62
        y = pdf.get_y()
        pdf.set_font("Sans", "B", 10)
        pdf.multi_cell(label_width, 5, primary[key], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Sans", "I", 9)
        pdf.set_text_color(90)
        pdf.multi_cell(label_width, 4.5, secondary[key], new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0)
        label_bottom = pdf.get_y()
        pdf.set_xy(pdf.l_margin + label_width, y)
        pdf.set_font("Sans", size=10)
        pdf.multi_cell(0, 5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_y(max(label_bottom, pdf.get_y()) + 1.5)

    unit = facts["addressee_unit"]
    row("number", facts["deposit_number"])
    received = facts.get("received_at", facts["accepted_at"])
    row("received_at", both_times(received))
    if facts["accepted_at"] != received:  # the checks and the scan ended later
        row("accepted_at", both_times(facts["accepted_at"]))
    if issued_at is not None:
        row("issued_at", both_times(issued_at))
    depositor = facts["depositor"]
    row("depositor", depositor["name"])
    capacity = " / ".join(dict.fromkeys(capacity_labels.get(code, depositor["capacity"]) for code in (first, second)))
    row("capacity", capacity)
    row("case_file", facts["case_file"])
    row("unit", " / ".join(dict.fromkeys((_unit_name(unit, first), _unit_name(unit, second)))))
    row("message", facts["message_sha256"] or f"{primary['no_message']} / {secondary['no_message']}")
    if issued_at is not None:
        pdf.set_font("Sans", "I", 9)
        pdf.multi_cell(0, 4.5, f"{primary['delayed']}\n{secondary['delayed']}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2)
    pdf.set_font("Sans", "B", 12)
    pdf.cell(0, 7, f"{primary['files']} / {secondary['files']}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for index, item in enumerate(facts["files"], start=1):
        pdf.set_font("Sans", "B", 10)
        pdf.multi_cell(0, 5, f"{index}. {item['name']}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Sans", size=9)
        size = primary["size"] % {"size": f"{item['size']:,}".replace(",", " ")}
        pdf.multi_cell(0, 4.5, f"{size} · {item['media_type']}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Courier", size=8.5)
        pdf.multi_cell(0, 4.5, f"SHA-256 {item['sha256']}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(1.5)
    pdf.ln(3)
    pdf.set_font("Sans", size=8.5)
    pdf.set_text_color(60)
    pdf.multi_cell(0, 4.2, f"{primary['verify']}\n{secondary['verify']}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.embed_file(
        bytes=facts_json(facts),
        basename=JSON_NAME,
        mime_type="application/json",
        desc="Proof of deposit: machine-readable facts",
    )
    return bytes(pdf.output())


def read_facts(pdf_bytes):
    """The facts embedded in a receipt PDF, or ``None`` when there are none."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf_bytes), strict=False)
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
        for index in range(0, len(names), 2):
            if str(names[index]) == JSON_NAME:
                data = names[index + 1]["/EF"]["/F"].data
                facts = json.loads(data)
                return facts if isinstance(facts, dict) and facts.get("format") == FORMAT else None
            if str(names[index]) == BUNDLE_JSON_NAME:  # an evidence bundle's summary (evidence.bundles)
                facts = json.loads(names[index + 1]["/EF"]["/F"].data)
                return facts if isinstance(facts, dict) and facts.get("format") == BUNDLE_FORMAT else None
    except Exception:  # noqa: BLE001 - any unreadable structure means: no facts
        return None
    return None


def refuse_envelope(pdf_bytes, *, max_bytes):
    """Why ``pdf_bytes`` cannot be a receipt, judged cheaply before any parser sees it (size, ``%PDF-`` first,
    ``%%EOF`` last), or ``""``."""
    if len(pdf_bytes) > max_bytes:
        return _("The file is larger than a proof of deposit can be (%(limit)s): it is not one.") % {
            "limit": filesizeformat(max_bytes)
        }
    if not pdf_bytes.startswith(b"%PDF-") or not pdf_bytes[-1024:].rstrip(intake_pdf.WHITESPACE).endswith(b"%%EOF"):
        return not_a_receipt_message()
    return ""


def bound_structure(pdf_bytes, *, max_objects, max_pages):
    """Let qpdf count the receipt's objects and pages before pyHanko walks it (refuses with ``Rejected``)."""
    with pikepdf.open(io.BytesIO(pdf_bytes), attempt_recovery=False, suppress_warnings=True) as pdf:
        intake_pdf.bound_counts(pdf, max_objects=max_objects, max_pages=max_pages)


def not_a_receipt_message():
    return _("The file is not a PDF proof of deposit of the expected structure.")


def too_complex_message():
    return _(
        "Checking this file took more than %(cpu_seconds)s seconds of processing or %(memory)s of memory: it is "
        "not a proof of deposit issued by the platform."
    ) % {
        "cpu_seconds": settings.INTAKE_PARSE_CPU_SECONDS,
        "memory": filesizeformat(settings.INTAKE_PARSE_MEMORY_BYTES),
    }
