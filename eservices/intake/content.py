"""Type by content: the extension, libmagic's sniffed type and a structural parse must agree.

Any exception in any step refuses the file (fail closed).
"""

import logging
from dataclasses import dataclass, field

import magic

from . import pdf, xls, xlsx
from .names import extension_of
from .reasons import Rejected

logger = logging.getLogger(__name__)

SNIFF_BYTES = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    code: str
    label: str
    extensions: tuple
    media_type: str
    sniffed: frozenset = field(default_factory=frozenset)  # libmagic answers that agree with this type
    check: object = None


TYPES = {
    "pdf": FileType("pdf", "PDF", (".pdf",), "application/pdf", frozenset({"application/pdf"}), pdf.check),
    "xlsx": FileType(
        "xlsx",
        "Excel (.xlsx)",
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        frozenset({"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"}),
        xlsx.check,
    ),
    "xls": FileType(
        "xls",
        "Excel 97-2003 (.xls)",
        (".xls",),
        "application/vnd.ms-excel",
        frozenset({"application/vnd.ms-excel", "application/x-ole-storage", "application/cdfv2"}),
        xls.check,
    ),
}
EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")


def accepted_labels(type_codes):
    return ", ".join(TYPES[code].label for code in type_codes)


def sniff(path):
    """libmagic's media type of the file's first megabyte (lower case)."""
    with open(path, "rb") as file:
        head = file.read(SNIFF_BYTES)
    return magic.from_buffer(head, mime=True).lower(), head


def identify(path, display_name, type_codes):
    """The :class:`FileType` of the file at ``path``, or :class:`Rejected`. Fails closed on any exception."""
    extension = extension_of(display_name)
    file_type = next((TYPES[code] for code in type_codes if extension in TYPES[code].extensions), None)
    if file_type is None:
        raise Rejected("type_not_accepted", types=accepted_labels(type_codes))
    try:
        sniffed, head = sniff(path)
        if head.startswith(EXECUTABLE_MAGIC) or "executable" in sniffed or "dosexec" in sniffed:
            raise Rejected("executable")
        if sniffed not in file_type.sniffed:
            raise Rejected("content_mismatch", extension=extension)
        file_type.check(path)
    except Rejected:
        raise
    except Exception:  # fail closed: any parser error refuses the file
        logger.info("intake: %s check failed on %s", file_type.code, path, exc_info=True)
        raise Rejected("unreadable") from None
    return file_type
