"""Display names of uploaded files: cleaned for showing, never used as a storage key."""

import html
import os
import re
import unicodedata

from .rejected import Rejected

MAX_LENGTH = 150
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}
# Characters that change how a name reads or where it points: path separators, Windows-forbidden characters.
REPLACED = set('/\\:*?"<>|')


def clean_display_name(original: object, *, default: str = "document") -> str:
    """A name safe to show and to offer as a download name.

    Unicode is normalised (NFC); control, format (bidirectional overrides, zero-width), surrogate, private and
    unassigned characters are removed; path separators and characters Windows forbids become ``_``; leading and
    trailing dots and spaces go; Windows reserved names (``CON``, ``COM1``...) get a ``_`` prefix; the result is
    at most 150 characters, extension kept.
    """
    name = unicodedata.normalize("NFC", str(original or ""))
    # Browsers may send a full path ("C:\\Users\\...\\report.pdf"): keep its last part.
    name = next((part for part in reversed(re.split(r"[/\\]", name)) if part.strip(" .")), "")
    name = "".join(
        "_" if char in REPLACED else char
        for char in name
        if not unicodedata.category(char).startswith("C") and char not in "\u2028\u2029"
    )
    name = " ".join(name.split()).strip(" .")
    stem, extension = os.path.splitext(name)
    if not stem:
        stem, extension = (default, extension) if extension.strip(". ") else (default, "")
    if stem.split(".")[0].strip().lower() in WINDOWS_RESERVED:
        stem = f"_{stem}"
    extension = extension[:16]
    stem = stem[: MAX_LENGTH - len(extension)].rstrip(" .") or default
    return f"{stem}{extension}"


def extension_of(name: str) -> str:
    """The lower-case extension of a cleaned name, with its dot (``.pdf``), or ``""``."""
    return os.path.splitext(name)[1].lower()


def refuse_control_characters(original: object) -> None:
    """Refuse a name holding NUL or another control character: only attacks produce them, so such a name is not
    cleaned but refused (``control_characters``)."""
    if any(unicodedata.category(char) == "Cc" for char in str(original or "")):
        raise Rejected("control_characters")


def escape_control_characters(original: object) -> str:
    """The name as sent, with each control character written as a visible escape (``\\x00``): what the evidence
    keeps (PostgreSQL text cannot hold NUL)."""
    return "".join(
        char.encode("unicode_escape").decode() if unicodedata.category(char) == "Cc" else char
        for char in str(original or "")
    )


def keep_control_characters_in_upload_names() -> None:
    """Django's multipart parser drops non-printable characters from uploaded file names, which would hand the
    intake a cleaned name; keep them, so that :func:`refuse_control_characters` refuses such uploads (called once,
    from the app's ``ready``). Path separators and "." / ".." are still removed as Django does."""
    from django.http.multipartparser import MultiPartParser  # noqa: PLC0415

    def sanitize_file_name(self: MultiPartParser, file_name: str) -> str | None:
        file_name = html.unescape(file_name).rsplit("/")[-1].rsplit("\\")[-1]
        return None if file_name in {"", ".", ".."} else file_name

    MultiPartParser.sanitize_file_name = sanitize_file_name  # type: ignore[method-assign]  # on purpose, see above
