"""PDF structure check: a real parse with pikepdf (qpdf), refusing anything active, hidden, protected or foreign.

:func:`precheck` is cheap and runs in the web process (the envelope); :func:`check` is the structural parse and
runs in a bounded child process (``eservices.core.sandbox``): it bounds the object and page counts before it walks
them, then looks at every dictionary.
"""

import mmap
import re

import pikepdf

from .rejected import Rejected

TAIL_BYTES = 2048
MAX_DEPTH = 64
# PDF white-space (ISO 32000-1, 7.2.2): what may follow the last %%EOF.
WHITESPACE = b"\x00\t\n\x0c\r "
# Actions (the /S of an action dictionary) and the refusal code each one earns.
ACTIONS = {
    "/JavaScript": "active_content",
    "/Launch": "active_content",
    "/Rendition": "active_content",
    "/SubmitForm": "form_actions",
    "/ImportData": "form_actions",
    "/GoToR": "unsafe_link",
    "/GoToE": "unsafe_link",
    "/Movie": "multimedia",
    "/Sound": "multimedia",
    "/RichMediaExecute": "multimedia",
    "/GoTo3DView": "multimedia",
}
MULTIMEDIA_SUBTYPES = {"/RichMedia", "/3D", "/Movie", "/Sound", "/Screen"}  # annotations (and 3D streams)
MULTIMEDIA_TYPES = {"/3D", "/Sound", "/RichMediaContent", "/RichMediaSettings"}
SAFE_URI_SCHEMES = ("http://", "https://", "mailto:")
# Signatures of other formats (archives, compound files, HTML): allowed inside a stream's data only.
FOREIGN = re.compile(
    rb"PK\x03\x04|PK\x01\x02|PK\x05\x06|PK\x06\x06|Rar!\x1a\x07|7z\xbc\xaf\x27\x1c|\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    rb"|\xfd7zXZ\x00|MSCF\x00\x00\x00\x00|\x1f\x8b\x08|<(?i:html|script|body|iframe|svg)\b|<!(?i:doctype)",
)


def precheck(path):
    """``%PDF-`` at the very start and ``%%EOF`` at the very end: no prefix or appended payload (polyglots)."""
    with open(path, "rb") as file:
        if file.read(5) != b"%PDF-":
            raise Rejected("polyglot")
        file.seek(0, 2)
        size = file.tell()
        file.seek(max(0, size - TAIL_BYTES))
        tail = file.read()
        end = tail.rfind(b"%%EOF")
        if end < 0:  # no end marker at the end: something was appended after the PDF, or it was cut
            with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
                raise Rejected("polyglot" if data.rfind(b"%%EOF") >= 0 else "unreadable")
    if tail[end + 5 :].strip(WHITESPACE):
        raise Rejected("polyglot")


def check(path, *, max_objects, max_pages):
    """Refuse an unparseable, encrypted, empty, oversized, active or polyglot PDF (runs in the sandbox)."""
    try:
        pdf = pikepdf.open(path, attempt_recovery=False, suppress_warnings=True)
    except pikepdf.PasswordError:
        raise Rejected("encrypted") from None
    except pikepdf.PdfError:
        raise Rejected("unreadable") from None
    with pdf:
        if pdf.is_encrypted:
            raise Rejected("encrypted")
        bound_counts(pdf, max_objects=max_objects, max_pages=max_pages)
        root = pdf.Root
        if "/AcroForm" in root and "/XFA" in root.AcroForm:
            raise Rejected("xfa_form")
        names = root.get("/Names")
        if names is not None and ("/JavaScript" in names or "/EmbeddedFiles" in names):
            raise Rejected("active_content" if "/JavaScript" in names else "embedded_files")
        _check_open_action(root.get("/OpenAction"))
        inside_streams = 0
        for obj in pdf.objects:
            _walk(obj, depth=0)
            if isinstance(obj, pikepdf.Stream):
                inside_streams += len(FOREIGN.findall(obj.read_raw_bytes()))
    with open(path, "rb") as file, mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if sum(1 for _ in FOREIGN.finditer(data)) > inside_streams:
            raise Rejected("polyglot")  # another format's signature outside the PDF's streams


def bound_counts(pdf, *, max_objects, max_pages):
    """Refuse before walking: the declared then the real object count, the declared then the real page count."""
    if int(pdf.trailer.get("/Size", 0)) > max_objects or len(pdf.get_xref_table()) > max_objects:
        raise Rejected("too_many_objects", count=max_objects)
    pages = pdf.Root.get("/Pages")
    if pages is None or int(pages.get("/Count", 0)) > max_pages:
        raise Rejected("too_many_pages", count=max_pages) if pages is not None else Rejected("no_pages")
    count = len(pdf.pages)
    if count == 0:
        raise Rejected("no_pages")
    if count > max_pages:
        raise Rejected("too_many_pages", count=max_pages)


def _check_open_action(action):
    """ResetForm is harmless on a button, not when the document opens (it wipes what a form holds)."""
    for _ in range(MAX_DEPTH):
        if not isinstance(action, pikepdf.Dictionary):
            return
        if str(action.get("/S", "")) == "/ResetForm":
            raise Rejected("form_actions")
        action = action.get("/Next")
        if isinstance(action, pikepdf.Array):
            action = action[0] if len(action) else None


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
    if "/JS" in obj:
        raise Rejected("active_content")
    action = str(obj.get("/S", ""))
    if action in ACTIONS:
        raise Rejected(ACTIONS[action])
    if action == "/URI" and not _safe_uri(obj.get("/URI")):
        raise Rejected("unsafe_link")
    if "/AA" in obj:  # additional actions: run by themselves (document, page, field or annotation events)
        raise Rejected("automatic_actions")
    kind = str(obj.get("/Type", ""))
    subtype = str(obj.get("/Subtype", ""))
    if (
        "/EmbeddedFiles" in obj
        or kind == "/EmbeddedFile"
        or (kind == "/Filespec" and "/EF" in obj)
        or subtype == "/FileAttachment"
    ):
        raise Rejected("embedded_files")
    if subtype in MULTIMEDIA_SUBTYPES or kind in MULTIMEDIA_TYPES or "/RichMediaContent" in obj:
        raise Rejected("multimedia")
    if "/XFA" in obj:
        raise Rejected("xfa_form")


def _safe_uri(value):
    """Only web and e-mail addresses: no file:, UNC paths, javascript: or other schemes a reader would open."""
    if not isinstance(value, pikepdf.String):
        return False
    uri = bytes(value).decode("latin-1").strip().lower()
    return uri.startswith(SAFE_URI_SCHEMES)
