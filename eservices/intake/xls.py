"""XLS (Excel 97-2003, BIFF8 in an OLE compound file) structure check with olefile.

:func:`precheck` (web process) checks the header; :func:`check` (in the bounded
child process of ``eservices.core.sandbox``) refuses VBA, macro sheets, encryption, embedded and linked objects,
and active content in the workbook stream's records: external workbooks and DDE/OLE links (``SUPBOOK``), data
connections and web queries, network or program functions in formulas and names, unsafe hyperlinks, and any
sector after the last one the compound file allocates (appended data).
"""

import struct

import olefile

from .rejected import Rejected

OLE_MAGIC = bytes.fromhex("d0cf11e0a1b11ae1")
VBA_NAMES = {"_vba_project_cur", "_vba_project", "vba", "macros", "project", "projectwm"}
BOF, EOF, FILEPASS, BOUNDSHEET = 0x0809, 0x000A, 0x002F, 0x0085
FORMULA, NAME, ARRAY, SHARED_FORMULA, SUPBOOK, HLINK = 0x0006, 0x0018, 0x0221, 0x04BC, 0x01AE, 0x01B8
SUPBOOK_SELF, SUPBOOK_ADD_IN = 0x0401, 0x3A01
# Query tables (QSI), database and text queries, data connections, parameter queries.
CONNECTION_RECORDS = {0x01AD, 0x0803, 0x0807, 0x0876, 0x00DC}
# Built-in functions that load code or call the network: REGISTER, CALL, EXEC, REGISTER.ID.
UNSAFE_FUNCTION_INDEXES = {149, 150, 110, 267}
UNSAFE_NAMES = (b"WEBSERVICE", b"FILTERXML")
FILE_MONIKER = bytes.fromhex("0303000000000000c000000000000046")
URL_MONIKER = bytes.fromhex("e0c9ea79f9bace118c8200aa004ba90b")
SAFE_URI_SCHEMES = ("http://", "https://", "mailto:")
UNSAFE_TEXT = ("file:", "\\\\", "javascript:", "vbscript:")
# Size of the operand that follows each formula token (BIFF8 Ptg), by base token; class tokens 0x40-0x7F
# share the size of 0x20-0x3F.
PTG_SIZES = {0x01: 4, 0x02: 4, 0x1C: 1, 0x1D: 1, 0x1E: 2, 0x1F: 8, 0x20: 7, 0x21: 2, 0x22: 3, 0x23: 4, 0x24: 4}
PTG_SIZES |= {0x25: 8, 0x26: 6, 0x27: 6, 0x28: 6, 0x29: 2, 0x2A: 4, 0x2B: 8, 0x2C: 4, 0x2D: 8, 0x39: 6, 0x3A: 6}
PTG_SIZES |= {0x3B: 10, 0x3C: 6, 0x3D: 10} | dict.fromkeys(range(0x03, 0x17), 0)
PTG_STRING, PTG_ATTR, PTG_FUNC, PTG_FUNC_VAR = 0x17, 0x19, 0x21, 0x22


def precheck(path):
    """An OLE header at byte 0 (cheap: runs in the web process); what follows the compound file is checked by
    :func:`check`."""
    with open(path, "rb") as file:
        if file.read(8) != OLE_MAGIC:
            raise Rejected("unreadable")


def check(path):
    """The whole workbook (in the sandbox)."""
    precheck(path)
    with olefile.OleFileIO(path) as ole:
        _check_envelope(ole)
        entries = ole.listdir(streams=True, storages=True)
        if any(part.lower() in VBA_NAMES for entry in entries for part in entry):
            raise Rejected("macros")
        if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
            raise Rejected("encrypted")
        for entry in entries:
            if entry[-1] == "\x01Ole" and ole.get_type(entry) == olefile.STGTY_STREAM:
                with ole.openstream(entry) as stream:
                    data = stream.read(8)
                if len(data) == 8 and struct.unpack("<I", data[4:8])[0] & 0x1:
                    raise Rejected("external_links")  # a linked OLE object
        if any(entry[0].upper().startswith("MBD") for entry in entries):
            raise Rejected("embedded_files")
        name = "Workbook" if ole.exists("Workbook") else "Book" if ole.exists("Book") else None
        if name is None or ole.get_type(name) != olefile.STGTY_STREAM:
            raise Rejected("unreadable")
        with ole.openstream(name) as stream:
            _check_records(stream)


def _check_envelope(ole):
    """No sector after the last one the compound file allocates: nothing appended to it."""
    last = max(
        (index for index in range(min(ole.nb_sect, len(ole.fat))) if ole.fat[index] != olefile.FREESECT), default=-1
    )
    if ole.nb_sect > last + 1:
        raise Rejected("polyglot")


def _check_records(stream):
    """Walk every record of the workbook stream: a BIFF8 BOF first; then password, macro sheets, links,
    connections, formulas and hyperlinks. Zero bytes between substreams (padding some writers add) are skipped,
    so that a substream placed after them is walked too."""
    data = stream.read()
    position = 0
    while position < len(data):
        if data[position] == 0 and position:
            padding = len(data[position:]) - len(data[position:].lstrip(b"\x00"))
            position += padding
            continue
        if position + 4 > len(data):
            raise Rejected("unreadable")
        kind, length = struct.unpack("<HH", data[position : position + 4])
        body = data[position + 4 : position + 4 + length]
        if len(body) < length:
            raise Rejected("unreadable")
        if position == 0 and (kind != BOF or length < 4 or struct.unpack("<HH", body[:4]) != (0x0600, 0x0005)):
            raise Rejected("unreadable")
        _check_record(kind, body)
        position += 4 + length
    if not data:
        raise Rejected("unreadable")


def _check_record(kind, body):
    if kind == FILEPASS:
        raise Rejected("encrypted")
    if kind == BOUNDSHEET and len(body) >= 6 and body[5] in (0x01, 0x06):  # Excel 4 macro sheet, VB module
        raise Rejected("macros")
    if kind in CONNECTION_RECORDS:
        raise Rejected("data_connections")
    if kind == SUPBOOK and len(body) >= 4:
        sheets, marker = struct.unpack("<HH", body[:4])
        if marker not in (SUPBOOK_SELF, SUPBOOK_ADD_IN):
            raise Rejected("dde" if sheets == 0 else "external_links")  # no sheets: a DDE or OLE link
    elif kind == FORMULA and len(body) >= 22:
        _check_tokens(body[22 : 22 + struct.unpack("<H", body[20:22])[0]])
    elif kind == ARRAY and len(body) >= 14:
        _check_tokens(body[14 : 14 + struct.unpack("<H", body[12:14])[0]])
    elif kind == SHARED_FORMULA and len(body) >= 10:
        _check_tokens(body[10 : 10 + struct.unpack("<H", body[8:10])[0]])
    elif kind == NAME and len(body) >= 15:
        _check_name(body)
    elif kind == HLINK:
        _check_hyperlink(body)


def _check_name(body):
    length, size = body[3], struct.unpack("<H", body[4:6])[0]
    width = 2 if body[14] & 0x1 else 1
    name = body[15 : 15 + length * width].replace(b"\x00", b"") if width == 2 else body[15 : 15 + length]
    if any(marker in name.upper() for marker in UNSAFE_NAMES):
        raise Rejected("unsafe_functions")
    start = 15 + length * width
    _check_tokens(body[start : start + size])


def _check_tokens(rgce):
    """Walk a parsed formula (BIFF8 Ptg tokens) and refuse calls of :data:`UNSAFE_FUNCTION_INDEXES`."""
    position = 0
    while position < len(rgce):
        token = rgce[position]
        base = (token & 0x1F) | 0x20 if token >= 0x20 else token
        position += 1
        if base in (PTG_FUNC, PTG_FUNC_VAR):
            offset = position + (1 if base == PTG_FUNC_VAR else 0)
            if struct.unpack("<H", rgce[offset : offset + 2].ljust(2, b"\x00"))[0] & 0x7FFF in UNSAFE_FUNCTION_INDEXES:
                raise Rejected("unsafe_functions")
        if base == PTG_STRING:
            length, flags = rgce[position], rgce[position + 1] if position + 1 < len(rgce) else 0
            position += 2 + length * (2 if flags & 0x1 else 1)
        elif base == PTG_ATTR:
            options, value = rgce[position], struct.unpack("<H", rgce[position + 1 : position + 3].ljust(2, b"\x00"))[0]
            position += 3 + (2 * (value + 1) if options & 0x04 else 0)
        elif base in PTG_SIZES:
            position += PTG_SIZES[base]
        else:
            raise Rejected("unreadable")  # a token this check does not know: fail closed


def _check_hyperlink(body):
    """File monikers (local files, shares) and URLs other than web or e-mail addresses are refused."""
    if FILE_MONIKER in body:
        raise Rejected("unsafe_link")
    texts = [body[start:].decode("utf-16-le", errors="ignore").lower() for start in (0, 1)]
    if any(marker in text for text in texts for marker in UNSAFE_TEXT):
        raise Rejected("unsafe_link")
    at = body.find(URL_MONIKER)
    if at >= 0:
        (size,) = struct.unpack("<I", body[at + 16 : at + 20].ljust(4, b"\x00"))
        url = body[at + 20 : at + 20 + size].decode("utf-16-le", errors="ignore").rstrip("\x00").strip().lower()
        if not url.startswith(SAFE_URI_SCHEMES):
            raise Rejected("unsafe_link")
