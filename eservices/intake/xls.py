"""XLS (Excel 97-2003, BIFF8 in an OLE container) structure check with olefile: no VBA, no macro sheets."""

import struct

import olefile

from .reasons import Rejected

VBA_NAMES = {"_vba_project_cur", "_vba_project", "vba", "macros", "project", "projectwm"}
BOF, EOF, FILEPASS, BOUNDSHEET = 0x0809, 0x000A, 0x002F, 0x0085
MAX_GLOBAL_RECORDS = 100_000


def check(path):
    if not olefile.isOleFile(path):
        raise Rejected("unreadable")
    with olefile.OleFileIO(path) as ole:
        entries = ole.listdir(streams=True, storages=True)
        if any(part.lower() in VBA_NAMES for entry in entries for part in entry):
            raise Rejected("macros")
        if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
            raise Rejected("encrypted")
        name = "Workbook" if ole.exists("Workbook") else "Book" if ole.exists("Book") else None
        if name is None or ole.get_type(name) != olefile.STGTY_STREAM:
            raise Rejected("unreadable")
        with ole.openstream(name) as stream:
            _check_globals(stream)


def _check_globals(stream):
    """Walk the workbook-globals substream: a BIFF8 BOF first; no password record; no macro sheet."""
    for index in range(MAX_GLOBAL_RECORDS):
        header = stream.read(4)
        if len(header) < 4:
            raise Rejected("unreadable")
        kind, length = struct.unpack("<HH", header)
        body = stream.read(length)
        if len(body) < length:
            raise Rejected("unreadable")
        if index == 0:
            if kind != BOF or length < 4 or struct.unpack("<HH", body[:4]) != (0x0600, 0x0005):
                raise Rejected("unreadable")
        elif kind == FILEPASS:
            raise Rejected("encrypted")
        elif kind == BOUNDSHEET and length >= 6 and body[5] in (0x01, 0x06):  # Excel 4 macro sheet, VB module
            raise Rejected("macros")
        elif kind == EOF:
            return
    raise Rejected("unreadable")
