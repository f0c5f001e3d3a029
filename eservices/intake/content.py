"""Type by content: the extension, libmagic's sniffed type and a structural parse must agree.

Each type has a cheap pre-check, run here (the envelope: nothing before or after the PDF, the archive or the
compound file), and a structural parse, run in a child process bounded by INTAKE_PARSE_CPU_SECONDS and
INTAKE_PARSE_MEMORY_MB (``eservices.core.sandbox``). Any exception in any step refuses the file (fail closed).
"""

import logging
from dataclasses import dataclass, field

import magic
from django.conf import settings

from eservices.core import sandbox

from . import pdf, xls, xlsx
from .names import extension_of
from .reasons import MESSAGES, Rejected

logger = logging.getLogger(__name__)

SNIFF_BYTES = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    code: str
    label: str
    extensions: tuple
    media_type: str
    sniffed: frozenset = field(default_factory=frozenset)  # libmagic answers that agree with this type
    precheck: object = None  # (path, **limits): cheap, in this process
    sandbox_target: str = ""  # the structural parse: a target of eservices.core.sandbox, called with (path, **limits)
    limits: object = dict  # () -> the keyword arguments of both, from the settings


def _pdf_limits():
    return {"max_objects": settings.INTAKE_PDF_MAX_OBJECTS, "max_pages": settings.INTAKE_PDF_MAX_PAGES}


def _xlsx_limits():
    return {"max_members": settings.INTAKE_MAX_ZIP_MEMBERS, "max_unpacked": settings.INTAKE_MAX_UNPACKED_BYTES}


TYPES = {
    "pdf": FileType(
        "pdf",
        "PDF",
        (".pdf",),
        "application/pdf",
        frozenset({"application/pdf"}),
        lambda path, **_limits: pdf.precheck(path),
        "intake.pdf",
        _pdf_limits,
    ),
    "xlsx": FileType(
        "xlsx",
        "Excel (.xlsx)",
        (".xlsx",),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        frozenset({"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"}),
        xlsx.precheck,
        "intake.xlsx",
        _xlsx_limits,
    ),
    "xls": FileType(
        "xls",
        "Excel 97-2003 (.xls)",
        (".xls",),
        "application/vnd.ms-excel",
        frozenset({"application/vnd.ms-excel", "application/x-ole-storage", "application/cdfv2"}),
        xls.precheck,
        "intake.xls",
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
        limits = file_type.limits()
        file_type.precheck(path, **limits)
        parse(file_type.sandbox_target, path, **limits)
    except Rejected:
        raise
    except Exception:  # fail closed: any parser error refuses the file
        logger.info("intake: %s check failed on %s", file_type.code, path, exc_info=True)
        raise Rejected("unreadable") from None
    return file_type


def parse(target, path, **limits):
    """Run the structural parse ``target`` on ``path`` in the bounded child process; its refusal is ours."""
    cpu_seconds, memory = settings.INTAKE_PARSE_CPU_SECONDS, settings.INTAKE_PARSE_MEMORY_BYTES
    try:
        sandbox.run(target, str(path), cpu_seconds=cpu_seconds, memory_bytes=memory, **limits)
    except sandbox.Verdict as verdict:
        if verdict.code not in MESSAGES:
            raise Rejected("unreadable") from None
        raise Rejected(verdict.code, **verdict.params) from None
    except sandbox.LimitExceeded as exceeded:
        logger.warning("intake: %s parse of %s stopped by its %s limit", target, path, exceeded.resource)
        raise Rejected("too_complex", resource=exceeded.resource, cpu_seconds=cpu_seconds, memory=memory) from None
