"""XLSX structure check: the ZIP container first (no decompression), then macros, then every XML part.

XML is parsed incrementally with defusedxml (no DTD, no entities, no external references) and each member is
read through a byte counter, so a container lying about its sizes is stopped at its declared size.
"""

import stat
import zipfile

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException
from django.conf import settings

from .reasons import Rejected

MAX_RATIO = 100
SMALL_MEMBER = 64 * 1024  # a tiny member may compress very well; the ratio applies above this size
MAIN_CONTENT_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
}
MACRO_MARKERS = ("macroenabled", "vbaproject", "ms-office.activex", "ms-excel.intlmacrosheet", "ms-excel.macrosheet")
MACRO_PATHS = ("vbaproject", "xl/macrosheets/", "xl/activex/", "xl/dialogsheets/")
CHUNK = 64 * 1024


def check(path):
    with zipfile.ZipFile(path) as archive:
        members = _check_container(path, archive)
        names = {member.filename.lower() for member in members}
        if any(marker in name for name in names for marker in MACRO_PATHS):
            raise Rejected("macros")
        if any(name.startswith("xl/embeddings/") for name in names):
            raise Rejected("embedded_files")
        if "[content_types].xml" not in names:
            raise Rejected("unreadable")
        content_types = _content_types(archive)
        if any(marker in value.lower() for value in content_types for marker in MACRO_MARKERS):
            raise Rejected("macros")
        if not content_types & MAIN_CONTENT_TYPES:
            raise Rejected("unreadable")
        for member in members:
            if member.filename.lower().endswith((".xml", ".rels", ".vml")):
                _parse(archive, member)


def _check_container(path, archive):
    """Count, names, types, declared sizes and ratios of the members; nothing is decompressed yet."""
    with open(path, "rb") as file:
        if file.read(4) != b"PK\x03\x04":
            raise Rejected("unsafe_container")  # a prefix before the archive: a polyglot
    members = archive.infolist()
    if not members or len(members) > settings.INTAKE_MAX_ZIP_MEMBERS or archive.comment:
        raise Rejected("unsafe_container")
    seen = set()
    total = 0
    for member in members:
        name = member.filename
        parts = name.replace("\\", "/").split("/")
        if (
            not name
            or name.startswith(("/", "\\"))
            or "\\" in name
            or ":" in name
            or ".." in parts
            or "\x00" in name
            or name.lower() in seen
        ):
            raise Rejected("unsafe_container")
        seen.add(name.lower())
        if stat.S_ISLNK(member.external_attr >> 16) or member.flag_bits & 0x1:
            raise Rejected("unsafe_container" if not member.flag_bits & 0x1 else "encrypted")
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Rejected("unsafe_container")
        total += member.file_size
        if member.file_size > SMALL_MEMBER and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise Rejected("unsafe_container")
    if total > settings.INTAKE_MAX_UNPACKED_BYTES:
        raise Rejected("unsafe_container")
    return members


class _Counted:
    """A member's stream that refuses to yield more than its declared size."""

    def __init__(self, stream, limit):
        self.stream = stream
        self.left = limit

    def read(self, size=CHUNK):
        data = self.stream.read(min(size if size and size > 0 else CHUNK, CHUNK))
        self.left -= len(data)
        if self.left < 0:
            raise Rejected("unsafe_container")
        return data


def _parse(archive, member):
    try:
        with archive.open(member) as stream:
            for _event, element in SafeET.iterparse(
                _Counted(stream, member.file_size), events=("end",), forbid_dtd=True
            ):
                element.clear()
    except DefusedXmlException:
        raise Rejected("unsafe_xml") from None
    except SafeET.ParseError:
        raise Rejected("unreadable") from None


def _content_types(archive):
    member = next(m for m in archive.infolist() if m.filename.lower() == "[content_types].xml")
    values = set()
    try:
        with archive.open(member) as stream:
            for _event, element in SafeET.iterparse(_Counted(stream, member.file_size), forbid_dtd=True):
                if element.get("ContentType"):
                    values.add(element.get("ContentType"))
                element.clear()
    except DefusedXmlException:
        raise Rejected("unsafe_xml") from None
    except SafeET.ParseError:
        raise Rejected("unreadable") from None
    return values
