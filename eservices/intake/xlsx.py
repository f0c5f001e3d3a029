"""XLSX structure check: the ZIP container first (no decompression), then macros and links, then every XML part.

:func:`precheck` runs in the web process: the container alone (the archive is the whole file, member count,
names, declared sizes and ratios). :func:`check` runs in a bounded child process (``eservices.core.sandbox``):
the same container checks, then macros, embedded objects and active content (external links, DDE, data
connections, network or program formulas, linked OLE objects, unsafe hyperlinks) while every XML part is parsed
incrementally with defusedxml (no DTD, no entities, no external references), each member read through a byte
counter, so that a container lying about its sizes is stopped at its declared size.
"""

import os
import re
import stat
import struct
import zipfile

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from .rejected import Rejected

MAX_RATIO = 100
SMALL_MEMBER = 64 * 1024  # a tiny member may compress very well; the ratio applies above this size
MAIN_CONTENT_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
}
MACRO_MARKERS = ("macroenabled", "vbaproject", "ms-office.activex", "ms-excel.intlmacrosheet", "ms-excel.macrosheet")
MACRO_PATHS = ("vbaproject", "xl/macrosheets/", "xl/activex/", "xl/dialogsheets/")
# Parts (by name or content type) that make a workbook reach outside itself, and the refusal each earns.
ACTIVE_PATHS = {"xl/externallinks/": "external_links", "xl/connections.xml": "data_connections"}
ACTIVE_PATHS |= {"xl/querytables/": "data_connections"}
ACTIVE_CONTENT_TYPES = {
    "externallink": "external_links",
    "spreadsheetml.connections": "data_connections",
    "querytable": "data_connections",
}
# Elements (local names) of any XML part, and the refusal each earns.
ACTIVE_ELEMENTS = {
    "ddeLink": "dde",
    "oleLink": "external_links",
    "externalBook": "external_links",
    "externalReference": "external_links",
    "connection": "data_connections",
    "queryTable": "data_connections",
    "webPr": "data_connections",
    "dbPr": "data_connections",
}
FORMULA_ELEMENTS = {"f", "definedName", "formula", "formula1", "formula2"}
SAFE_URI_SCHEMES = ("http://", "https://", "mailto:")
UNSAFE_TEXT = ("file:", "\\\\", "//", "javascript:", "vbscript:")
FORMULA_STRING = re.compile(r'"(?:[^"]|"")*"')
EXTERNAL_REFERENCE = re.compile(r"\[[^\[\]]*\][^\s!+\-*/^&=<>,;()\[\]\"]*!|'[^']*\[[^\]]+\][^']*'!")
NETWORK_FUNCTIONS = re.compile(r"\b(?:WEBSERVICE|FILTERXML|CALL|REGISTER(?:\.ID)?|EXEC)\s*\(", re.IGNORECASE)
LOCAL_HEADER, END_OF_DIRECTORY, ZIP64_LOCATOR = b"PK\x03\x04", b"PK\x05\x06", b"PK\x06\x07"
DESCRIPTOR = b"PK\x07\x08"
CHUNK = 64 * 1024


def precheck(path, *, max_members, max_unpacked):
    """The container alone, without decompressing anything (cheap: runs in the web process)."""
    with zipfile.ZipFile(path) as archive:
        _check_container(path, archive, max_members=max_members, max_unpacked=max_unpacked)


def check(path, *, max_members, max_unpacked):
    """The whole workbook: container, macros, embedded objects, active content, every XML part (in the sandbox)."""
    with zipfile.ZipFile(path) as archive:
        members = _check_container(path, archive, max_members=max_members, max_unpacked=max_unpacked)
        names = {member.filename.lower() for member in members}
        if any(marker in name for name in names for marker in MACRO_PATHS):
            raise Rejected("macros")
        if any(name.startswith("xl/embeddings/") for name in names):
            raise Rejected("embedded_files")
        for member in members:
            code = next(
                (code for prefix, code in ACTIVE_PATHS.items() if member.filename.lower().startswith(prefix)), ""
            )
            if code:
                _parse(archive, member, _check_element)  # a DDE link says so; any other is refused by its part
                raise Rejected(code)
        if "[content_types].xml" not in names:
            raise Rejected("unreadable")
        content_types = _content_types(archive)
        if any(marker in value.lower() for value in content_types for marker in MACRO_MARKERS):
            raise Rejected("macros")
        for marker, code in ACTIVE_CONTENT_TYPES.items():
            if any(marker in value.lower() for value in content_types):
                raise Rejected(code)
        if not content_types & MAIN_CONTENT_TYPES:
            raise Rejected("unreadable")
        for member in members:
            name = member.filename.lower()
            if name.endswith(".rels"):
                _parse(archive, member, _check_relationship)
            elif name.endswith((".xml", ".vml")):
                _parse(archive, member, _check_element)


def _check_container(path, archive, *, max_members, max_unpacked):
    """Count, names, types, declared sizes and ratios of the members; nothing is decompressed yet."""
    members = archive.infolist()
    if not members or len(members) > max_members or archive.comment:
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
    if total > max_unpacked:
        raise Rejected("unsafe_container")
    _check_envelope(path, members)
    return members


def _check_envelope(path, members):
    """The archive is the whole file: its members follow each other from byte 0, the central directory follows
    the last one and the end-of-directory record ends the file. Anything before, between or after is foreign
    data (a polyglot)."""
    size = os.path.getsize(path)
    with open(path, "rb") as file:
        file.seek(max(0, size - 22))
        end = file.read(22)
        if len(end) < 22 or not end.startswith(END_OF_DIRECTORY):
            raise Rejected("polyglot")
        directory_size, directory_offset = struct.unpack("<II", end[12:20])
        directory_end = size - 22
        if directory_offset == 0xFFFFFFFF or directory_size == 0xFFFFFFFF:
            file.seek(max(0, size - 42))
            locator = file.read(20)
            if not locator.startswith(ZIP64_LOCATOR):
                raise Rejected("polyglot")
            (record_offset,) = struct.unpack("<Q", locator[8:16])
            file.seek(record_offset)
            record = file.read(56)
            (record_size,) = struct.unpack("<Q", record[4:12])
            if record_offset + 12 + record_size != size - 42:
                raise Rejected("polyglot")
            directory_size, directory_offset = struct.unpack("<QQ", record[40:56])
            directory_end = record_offset
        if directory_offset + directory_size != directory_end:
            raise Rejected("polyglot")
        position = 0
        for member in sorted(members, key=lambda member: member.header_offset):
            file.seek(position)
            header = file.read(30)
            if member.header_offset != position or not header.startswith(LOCAL_HEADER):
                raise Rejected("polyglot")
            name_length, extra_length = struct.unpack("<HH", header[26:30])
            position += 30 + name_length + extra_length + member.compress_size
            if member.flag_bits & 0x08:  # a data descriptor follows the data
                file.seek(position)
                zip64 = member.compress_size >= 0xFFFFFFFF or member.file_size >= 0xFFFFFFFF
                position += (4 if file.read(4) == DESCRIPTOR else 0) + (20 if zip64 else 12)
        if position != directory_offset:
            raise Rejected("polyglot")


def _local_name(tag):
    return tag.rsplit("}", 1)[-1]


def _check_relationship(element):
    """A relationship that reaches outside the workbook: external links, connections, linked objects, links."""
    if _local_name(element.tag) != "Relationship":
        return
    kind = element.get("Type", "").rsplit("/", 1)[-1].lower()
    external = element.get("TargetMode", "").lower() == "external"
    if "externallink" in kind:
        raise Rejected("external_links")
    if kind in ("connections", "querytable"):
        raise Rejected("data_connections")
    if kind == "hyperlink":
        if external and not element.get("Target", "").strip().lower().startswith(SAFE_URI_SCHEMES):
            raise Rejected("unsafe_link")
    elif external:
        raise Rejected("external_links")  # a linked OLE object, picture or template


def _check_element(element):
    name = _local_name(element.tag)
    if name in ACTIVE_ELEMENTS:
        raise Rejected(ACTIVE_ELEMENTS[name])
    if name == "oleObject" and (element.get("link") or element.get("oleUpdate")):
        raise Rejected("external_links")  # a linked (not embedded) OLE object
    if name in FORMULA_ELEMENTS and element.text:
        check_formula(element.text)


def check_formula(formula):
    """Refuse DDE (``cmd|' /C calc'!A0``), references to other workbooks, network and program functions, and
    strings that point to local files, network shares or scripts."""
    strings = FORMULA_STRING.findall(formula)
    code = FORMULA_STRING.sub('""', formula)
    if "|" in code:
        raise Rejected("dde")
    if EXTERNAL_REFERENCE.search(code):
        raise Rejected("external_links")
    if NETWORK_FUNCTIONS.search(code):
        raise Rejected("unsafe_functions")
    if any(text.strip('"').strip().lower().startswith(UNSAFE_TEXT) for text in strings):
        raise Rejected("unsafe_link")


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


def _parse(archive, member, inspect=None):
    """Parse one XML member incrementally, calling ``inspect(element)`` on each complete element."""
    try:
        with archive.open(member) as stream:
            for _event, element in SafeET.iterparse(
                _Counted(stream, member.file_size), events=("end",), forbid_dtd=True
            ):
                if inspect is not None:
                    inspect(element)
                element.clear()
    except DefusedXmlException:
        raise Rejected("unsafe_xml") from None
    except SafeET.ParseError:
        raise Rejected("unreadable") from None


def _content_types(archive):
    member = next(m for m in archive.infolist() if m.filename.lower() == "[content_types].xml")
    values = set()

    def collect(element):
        if element.get("ContentType"):
            values.add(element.get("ContentType"))

    _parse(archive, member, collect)
    return values
