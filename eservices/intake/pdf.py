"""PDF structure check: a real parse with pikepdf (qpdf), refusing anything active, hidden or protected."""

import pikepdf

from .reasons import Rejected

ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/Rendition"}
TAIL_BYTES = 2048
MAX_DEPTH = 64


def check(path):
    """Refuse an unparseable, encrypted, empty or active PDF; anything unexpected raises (the caller fails closed)."""
    _check_envelope(path)
    try:
        pdf = pikepdf.open(path, attempt_recovery=False, suppress_warnings=True)
    except pikepdf.PasswordError:
        raise Rejected("encrypted") from None
    except pikepdf.PdfError:
        raise Rejected("unreadable") from None
    with pdf:
        if pdf.is_encrypted:
            raise Rejected("encrypted")
        if len(pdf.pages) == 0:
            raise Rejected("no_pages")
        root = pdf.Root
        if "/AcroForm" in root and "/XFA" in root.AcroForm:
            raise Rejected("xfa_form")
        names = root.get("/Names")
        if names is not None and ("/JavaScript" in names or "/EmbeddedFiles" in names):
            raise Rejected("active_content" if "/JavaScript" in names else "embedded_files")
        for obj in pdf.objects:
            _walk(obj, depth=0)


def _walk(obj, *, depth):
    """Check a dictionary and the direct objects nested in it (indirect ones are visited on their own)."""
    if depth > MAX_DEPTH:
        raise Rejected("unreadable")
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        _check_dictionary(obj)
        children = obj.values()
    elif isinstance(obj, pikepdf.Array):
        children = obj
    else:
        return
    for child in children:
        if isinstance(child, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream) and not child.is_indirect:
            _walk(child, depth=depth + 1)


def _check_dictionary(obj):
    if "/JS" in obj or str(obj.get("/S", "")) in ACTIVE_ACTIONS:
        raise Rejected("active_content")
    kind = str(obj.get("/Type", ""))
    if (
        "/EmbeddedFiles" in obj
        or kind == "/EmbeddedFile"
        or (kind == "/Filespec" and "/EF" in obj)
        or str(obj.get("/Subtype", "")) == "/FileAttachment"
    ):
        raise Rejected("embedded_files")
    if "/XFA" in obj:
        raise Rejected("xfa_form")


def _check_envelope(path):
    """``%PDF-`` at the very start and ``%%EOF`` at the very end: no prefix or appended payload (polyglots)."""
    with open(path, "rb") as file:
        if file.read(5) != b"%PDF-":
            raise Rejected("unreadable")
        file.seek(0, 2)
        size = file.tell()
        file.seek(max(0, size - TAIL_BYTES))
        tail = file.read()
    end = tail.rfind(b"%%EOF")
    if end < 0 or tail[end + 5 :].strip(b"\r\n\t \x00"):
        raise Rejected("unreadable")
