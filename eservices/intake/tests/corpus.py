"""A corpus of valid and hostile files for the intake pipeline, generated into a folder.

    python -m eservices.intake.tests.corpus /tmp/corpus      # writes every file and prints the expectations

Each :class:`Case` names a file, how to make it, the policy it is sent under and the expected verdict:
``None`` for accepted, else the refusal code. Producers of valid files: fpdf2, pikepdf, a hand-written
streaming PDF writer (any size, constant memory), openpyxl, a zipfile-built minimal XLSX, and a minimal OLE
(compound file) writer below for XLS, since no maintained library on PyPI writes BIFF8 files.
"""

import hashlib
import io
import os
import stat
import struct
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pikepdf
from fpdf import FPDF
from pikepdf import Array, Dictionary, Name, String

EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
TEST_SIGNATURE = b"SECM-INTAKE-TEST-SIGNATURE-7f3a9c"


def clamav_signatures(directory):
    """A local signature database for clamd: EICAR (whole file, and anywhere) and the project's test signature."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "secm-test.hdb").write_text(f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:SECM.Test.EICAR\n")  # noqa: S324 - ClamAV's hash format
    (directory / "secm-test.ndb").write_text(
        f"SECM.Test.EICAR.Embedded:0:*:{EICAR.hex()}\nSECM.Test.Signature:0:*:{TEST_SIGNATURE.hex()}\n"
    )
    return directory


# ---- PDF producers ----------------------------------------------------------------------------------------


def fpdf_pdf(pages=1, text="Rapport d'enquête — SECM"):
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for number in range(pages):
        pdf.add_page()
        pdf.cell(text=f"{text.encode('latin-1', 'replace').decode('latin-1')} - page {number + 1}")
    return bytes(pdf.output())


def pikepdf_pdf(pages=1, configure=None, **save):
    pdf = pikepdf.new()
    for _ in range(pages):
        pdf.add_blank_page()
    if configure:
        configure(pdf)
    buffer = io.BytesIO()
    pdf.save(buffer, **save)
    return buffer.getvalue()


def write_large_pdf(path, size, *, chunk=1024 * 1024):
    """A valid one-page PDF of about ``size`` bytes (an incompressible image stream), written in constant memory."""
    offsets = []
    with open(path, "wb") as out:

        def obj(body):
            offsets.append(out.tell())
            out.write(f"{len(offsets)} 0 obj\n".encode() + body + b"\nendobj\n")

        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        obj(b"<< /Type /Catalog /Pages 2 0 R >>")
        obj(b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        obj(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im1 4 0 R >> >> >>")
        length = max(size - 1024, 1)
        width = 1024
        height = max(length // (width * 3), 1)
        length = width * height * 3
        offsets.append(out.tell())
        out.write(
            f"4 0 obj\n<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceRGB "
            f"/BitsPerComponent 8 /Length {length} >>\nstream\n".encode()
        )
        left = length
        while left:
            part = os.urandom(min(chunk, left))
            out.write(part)
            left -= len(part)
        out.write(b"\nendstream\nendobj\n")
        xref = out.tell()
        out.write(f"xref\n0 {len(offsets) + 1}\n0000000000 65535 f \n".encode())
        for offset in offsets:
            out.write(f"{offset:010d} 00000 n \n".encode())
        out.write(f"trailer\n<< /Size {len(offsets) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return path


def _javascript_names(pdf):
    action = pdf.make_indirect(Dictionary(S=Name.JavaScript, JS=String("app.alert('x')")))
    pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([String("init"), action])))


def _open_action_js(pdf):
    pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS=String("this.exportDataObject({cName: 'x'})"))


def _launch(pdf):
    pdf.Root.OpenAction = Dictionary(S=Name.Launch, F=String("cmd.exe"), Win=Dictionary(F=String("cmd.exe")))


def _annotation_js(pdf):
    action = Dictionary(S=Name.JavaScript, JS=String("app.launchURL('x')"))
    annotation = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 10, 10]), A=action)
    pdf.pages[0].Annots = pdf.make_indirect(Array([pdf.make_indirect(annotation)]))


def _embedded_file(pdf):
    pdf.attachments["payload.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ not really", mime_type="text/plain")


def _xfa(pdf):
    pdf.Root.AcroForm = Dictionary(Fields=Array(), XFA=pdf.make_stream(b"<xdp:xdp xmlns:xdp='x'/>"))


def _pdf_with_bytes_inside(payload):
    """A valid PDF whose page content is an uncompressed comment holding ``payload`` (scanners see it raw)."""

    def configure(pdf):
        pdf.pages[0].Contents = pdf.make_stream(b"% " + payload + b"\n")

    return pikepdf_pdf(configure=configure, compress_streams=False)


# ---- XLSX producers ---------------------------------------------------------------------------------------


def openpyxl_xlsx(rows=10, text="Prestation"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Relevé"
    sheet.append(["Date", "Code", "Libellé", "Montant"])
    for row in range(rows):
        sheet.append([f"2026-01-{row % 28 + 1:02d}", 100000 + row, f"{text} {row}", row * 1.5])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


MINIMAL_XLSX = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',  # noqa: E501
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',  # noqa: E501
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',  # noqa: E501
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',  # noqa: E501
    "xl/worksheets/sheet1.xml": '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>SECM</t></is></c></row></sheetData></worksheet>',  # noqa: E501
}


def minimal_xlsx(members=None, infos=()):
    """A hand-built XLSX (zipfile): ``members`` replace or add parts (``None`` removes one); ``infos`` adds
    ``(ZipInfo, bytes)`` pairs as they are (odd names, symlinks)."""
    parts = {**MINIMAL_XLSX, **(members or {})}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if data is not None:
                archive.writestr(name, data)
        for info, data in infos:
            archive.writestr(info, data)
    return buffer.getvalue()


def rezip(xlsx_bytes, replace=None, add=None):
    """Copy an XLSX, replacing members (``name: bytes``) and adding others."""
    replace = replace or {}
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = replace.get(info.filename, source.read(info.filename))
            out.writestr(info.filename, data)
        for name, data in (add or {}).items():
            out.writestr(name, data)
    return buffer.getvalue()


def _macro_content_types(xml):
    return xml.replace(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )


def zip_bomb_xlsx(path, uncompressed=200 * 1024 * 1024):
    """A small XLSX whose one sheet inflates to ``uncompressed`` bytes of spaces (ratio about 1000:1)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in MINIMAL_XLSX.items():
            if name != "xl/worksheets/sheet1.xml":
                archive.writestr(name, data)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = b" " * (1024 * 1024)
            for _ in range(uncompressed // len(block)):
                member.write(block)
    return path


# ---- XLS: a minimal compound-file (OLE2) writer and a BIFF8 workbook ---------------------------------------

SECTOR = 512
FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _record(kind, body=b""):
    return struct.pack("<HH", kind, len(body)) + body


def biff8_workbook(sheet_type=0x00, password=False):
    """A minimal BIFF8 workbook stream: globals (BOF, [FILEPASS], BOUNDSHEET, EOF) and one sheet (BOF, EOF)."""
    globals_ = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6))
    if password:
        globals_ += _record(0x002F, b"\x01\x00" + b"\x00" * 52)
    sheet_name = "Feuil1".encode("latin-1")
    globals_ += _record(0x0042, struct.pack("<H", 1252))  # CODEPAGE
    boundsheet_length = 4 + 2 + 2 + len(sheet_name)
    sheet_offset = len(globals_) + 4 + boundsheet_length + 4  # after BOUNDSHEET and EOF
    globals_ += _record(0x0085, struct.pack("<IBBBB", sheet_offset, 0, sheet_type, len(sheet_name), 0) + sheet_name)
    globals_ += _record(0x000A)
    sheet = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6)) + _record(0x000A)
    return globals_ + sheet


def compound_file(tree):
    """An OLE2 compound file (version 3, 512-byte sectors) holding ``tree``: ``{name: bytes | {name: ...}}``.

    Streams are padded to 4096 bytes so that they live in regular sectors (no mini stream is needed).
    """
    entries = []

    def add(name, node, kind):
        index = len(entries)
        entry = {"name": name, "type": kind, "left": NOSTREAM, "right": NOSTREAM, "child": NOSTREAM, "data": b""}
        entries.append(entry)
        if isinstance(node, dict):
            ordered = sorted(node.items(), key=lambda item: (len(item[0]), item[0].upper()))
            children = [add(child, value, 1 if isinstance(value, dict) else 2) for child, value in ordered]
            for left, right in zip(children, children[1:], strict=False):
                entries[left]["right"] = right
            if children:
                entry["child"] = children[0]
        else:
            entry["data"] = node.ljust(4096, b"\x00")
        return index

    add("Root Entry", tree, 5)
    sectors = []
    fat = []
    for entry in entries:
        if entry["type"] != 2:
            entry["start"], entry["size"] = END, 0
            continue
        count = len(entry["data"]) // SECTOR + (1 if len(entry["data"]) % SECTOR else 0)
        entry["start"], entry["size"] = len(sectors), len(entry["data"])
        for number in range(count):
            sectors.append(entry["data"][number * SECTOR : (number + 1) * SECTOR].ljust(SECTOR, b"\x00"))
            fat.append(len(sectors) if number < count - 1 else END)
    directory = b""
    for entry in entries:
        name = entry["name"].encode("utf-16-le") + b"\x00\x00"
        directory += (
            name.ljust(64, b"\x00")
            + struct.pack("<HBB", len(name), entry["type"], 1)
            + struct.pack("<III", entry["left"], entry["right"], entry["child"])
            + b"\x00" * 16
            + b"\x00" * 4
            + b"\x00" * 16
            + struct.pack("<II", entry["start"], entry["size"])
            + b"\x00" * 4
        )
    empty = (
        b"\x00" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", NOSTREAM, NOSTREAM, NOSTREAM) + b"\x00" * 44
    )
    while len(directory) % SECTOR:
        directory += empty
    first_directory = len(sectors)
    directory_sectors = len(directory) // SECTOR
    for number in range(directory_sectors):
        sectors.append(directory[number * SECTOR : (number + 1) * SECTOR])
        fat.append(len(sectors) if number < directory_sectors - 1 else END)
    fat_sectors = 1
    while (len(sectors) + fat_sectors) > fat_sectors * 128:
        fat_sectors += 1
    first_fat = len(sectors)
    fat += [FATSECT] * fat_sectors
    fat += [FREE] * (fat_sectors * 128 - len(fat))
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat)
    for number in range(fat_sectors):
        sectors.append(fat_bytes[number * SECTOR : (number + 1) * SECTOR])
    difat = [first_fat + number for number in range(fat_sectors)] + [FREE] * (109 - fat_sectors)
    header = (
        bytes.fromhex("d0cf11e0a1b11ae1")
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, fat_sectors, first_directory, 0, 4096, END, 0, END, 0)
        + struct.pack("<109I", *difat)
    )
    return header + b"".join(sectors)


def ole_xls(**workbook):
    return compound_file({"Workbook": biff8_workbook(**workbook)})


def ole_xls_with_vba():
    vba = {"dir": b"\x01" * 64, "_VBA_PROJECT": b"\xcc\x61" + b"\x00" * 5, "Module1": b"Attribute VB_Name"}
    return compound_file(
        {"Workbook": biff8_workbook(), "_VBA_PROJECT_CUR": {"PROJECT": b'ID="{0}"\r\nModule=Module1\r\n', "VBA": vba}}
    )


# ---- the corpus -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    filename: str
    make: object  # () -> bytes, or (path) -> path for files written in place
    expect: str | None  # None: accepted; else the refusal code
    policy: str = "deposit"
    needs_clamd: bool = False
    streamed: bool = False  # make(path) writes the file itself


def _elf():
    return Path(sys.executable).resolve().read_bytes()[: 256 * 1024]


def _pe():
    dos = b"MZ\x90\x00" + b"\x00" * 56
    dos = dos[:60] + struct.pack("<I", 64)
    return dos + b"PE\x00\x00" + struct.pack("<HH", 0x14C, 1) + b"\x00" * 400


def _symlink_info():
    info = zipfile.ZipInfo("xl/media/link.xml")
    info.create_system = 3
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


CASES = [
    # valid files, several producers and sizes
    Case("rapport-fpdf.pdf", lambda: fpdf_pdf(), None),
    Case("rapport-fpdf-60-pages.pdf", lambda: fpdf_pdf(pages=60), None),
    Case("blank-pikepdf.pdf", lambda: pikepdf_pdf(pages=2), None),
    Case(
        "objstreams-pikepdf.pdf",
        lambda: pikepdf_pdf(pages=3, object_stream_mode=pikepdf.ObjectStreamMode.generate),
        None,
    ),
    Case("scan-3mb.pdf", lambda path: write_large_pdf(path, 3 * 1024 * 1024), None, streamed=True),
    Case("Relevé des prestations.xlsx", lambda: openpyxl_xlsx(), None),
    Case("releve-20000-lignes.xlsx", lambda: openpyxl_xlsx(rows=20000), None),
    Case("minimal-zipfile.xlsx", lambda: minimal_xlsx(), None),
    Case("ancien-format.xls", lambda: ole_xls(), None),
    Case("supporting.pdf", lambda: fpdf_pdf(), None, policy="supporting_document"),
    Case("casefile.xls", lambda: ole_xls(), None, policy="casefile_document"),
    # the wrong type, or a type that lies
    Case("notes.docx", lambda: b"PK\x03\x04 not really", "type_not_accepted"),
    Case("programme.exe", _pe, "type_not_accepted"),
    Case("no-extension", lambda: fpdf_pdf(), "type_not_accepted"),
    Case("spreadsheet-as-supporting.xlsx", lambda: openpyxl_xlsx(), "type_not_accepted", policy="supporting_document"),
    Case("empty.pdf", lambda: b"", "empty"),
    Case(
        "page-web.pdf",
        lambda: b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        "content_mismatch",
    ),
    Case("classeur.pdf", lambda: openpyxl_xlsx(), "content_mismatch"),
    Case("document.xlsx", lambda: fpdf_pdf(), "content_mismatch"),
    Case("ancien.xlsx", lambda: ole_xls(), "content_mismatch"),
    Case("texte.xls", lambda: b"Date;Montant\n2026-01-01;12\n", "content_mismatch"),
    Case("elf-binary.pdf", _elf, "executable"),
    Case("pe-binary.xlsx", _pe, "executable"),
    Case("eicar.pdf", lambda: EICAR, "content_mismatch"),
    # broken or protected PDFs
    Case("truncated.pdf", lambda: fpdf_pdf(pages=5)[:-600], "unreadable"),
    Case("header-only.pdf", lambda: b"%PDF-1.7\n%%EOF\n", "unreadable"),
    Case(
        "user-password.pdf",
        lambda: pikepdf_pdf(encryption=pikepdf.Encryption(user="secret", owner="owner")),
        "encrypted",
    ),
    Case("owner-password.pdf", lambda: pikepdf_pdf(encryption=pikepdf.Encryption(user="", owner="owner")), "encrypted"),
    Case("zero-pages.pdf", lambda: pikepdf_pdf(pages=0), "no_pages"),
    # active or hidden PDF content
    Case("javascript-names.pdf", lambda: pikepdf_pdf(configure=_javascript_names), "active_content"),
    Case("openaction-js.pdf", lambda: pikepdf_pdf(configure=_open_action_js), "active_content"),
    Case(
        "openaction-js-objstream.pdf",
        lambda: pikepdf_pdf(configure=_open_action_js, object_stream_mode=pikepdf.ObjectStreamMode.generate),
        "active_content",
    ),
    Case("annotation-js.pdf", lambda: pikepdf_pdf(configure=_annotation_js), "active_content"),
    Case("launch.pdf", lambda: pikepdf_pdf(configure=_launch), "active_content"),
    Case("embedded-file.pdf", lambda: pikepdf_pdf(configure=_embedded_file), "embedded_files"),
    Case("xfa.pdf", lambda: pikepdf_pdf(configure=_xfa), "xfa_form"),
    # hostile spreadsheets
    Case(
        "macro.xlsx",
        lambda: rezip(openpyxl_xlsx(), add={"xl/vbaProject.bin": ole_xls_with_vba()}),
        "macros",
    ),
    Case(
        "xlsm-renamed.xlsx",
        lambda: minimal_xlsx({"[Content_Types].xml": _macro_content_types(MINIMAL_XLSX["[Content_Types].xml"])}),
        "macros",
    ),
    Case("macrosheet.xlsx", lambda: minimal_xlsx({"xl/macrosheets/sheet1.xml": "<xm/>"}), "macros"),
    Case(
        "dtd-entity.xlsx",
        lambda: minimal_xlsx(
            {
                "xl/worksheets/sheet1.xml": '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY e "boom">]>'
                "<worksheet><sheetData>&e;</sheetData></worksheet>"
            }
        ),
        "unsafe_xml",
    ),
    Case(
        "external-entity.xlsx",
        lambda: minimal_xlsx(
            {
                "xl/workbook.xml": '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                "<workbook>&x;</workbook>"
            }
        ),
        "unsafe_xml",
    ),
    Case(
        "billion-laughs.xlsx",
        lambda: minimal_xlsx(
            {
                "[Content_Types].xml": '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "lol"><!ENTITY b "&a;&a;&a;&a;">'
                '<!ENTITY c "&b;&b;&b;&b;">]><Types>&c;</Types>'
            }
        ),
        "unsafe_xml",
    ),
    Case("broken-xml.xlsx", lambda: minimal_xlsx({"xl/workbook.xml": "<workbook><sheets>"}), "unreadable"),
    Case("zip-bomb.xlsx", lambda path: zip_bomb_xlsx(path), "unsafe_container", streamed=True),
    Case("traversal.xlsx", lambda: minimal_xlsx({"../../evil.xml": "<x/>"}), "unsafe_container"),
    Case("absolute-member.xlsx", lambda: minimal_xlsx({"/etc/cron.d/x.xml": "<x/>"}), "unsafe_container"),
    Case("backslash-member.xlsx", lambda: minimal_xlsx({"xl\\..\\..\\evil.xml": "<x/>"}), "unsafe_container"),
    Case("symlink-member.xlsx", lambda: minimal_xlsx(infos=[(_symlink_info(), b"/etc/passwd")]), "unsafe_container"),
    Case(
        "too-many-members.xlsx",
        lambda: minimal_xlsx({f"xl/media/{n}.xml": "<x/>" for n in range(2100)}),
        "unsafe_container",
    ),
    Case("embedded-object.xlsx", lambda: minimal_xlsx({"xl/embeddings/oleObject1.bin": ole_xls()}), "embedded_files"),
    Case("vba.xls", ole_xls_with_vba, "macros"),
    Case("macro-sheet.xls", lambda: ole_xls(sheet_type=0x01), "macros"),
    Case("password.xls", lambda: ole_xls(password=True), "encrypted"),
    Case("truncated.xls", lambda: ole_xls()[:1500], "unreadable"),
    # polyglots
    Case("pdf-then-zip.pdf", lambda: fpdf_pdf() + openpyxl_xlsx(), "unreadable"),
    Case("pdf-prefix-zip.xlsx", lambda: fpdf_pdf() + openpyxl_xlsx(), "content_mismatch"),
    Case("html-then-pdf.pdf", lambda: b"<html><script>alert(1)</script></html>\n" + fpdf_pdf(), "content_mismatch"),
    Case("gif-then-zip.xlsx", lambda: b"GIF89a\x01\x00\x01\x00\x00\x00\x00;" + openpyxl_xlsx(), "content_mismatch"),
    # viruses inside valid files (the type checks pass; clamd refuses them)
    Case("eicar-inside.pdf", lambda: _pdf_with_bytes_inside(EICAR), "infected", needs_clamd=True),
    Case("signature-inside.pdf", lambda: _pdf_with_bytes_inside(TEST_SIGNATURE), "infected", needs_clamd=True),
    Case(
        "signature-in-cell.xlsx",
        lambda: openpyxl_xlsx(rows=3, text=TEST_SIGNATURE.decode()),
        "infected",
        needs_clamd=True,
    ),
]


def build(case, directory):
    """Write ``case``'s file into ``directory`` and return its path."""
    path = Path(directory) / case.filename
    path.parent.mkdir(parents=True, exist_ok=True)
    if case.streamed:
        case.make(path)
    else:
        path.write_bytes(case.make())
    return path


def generate(directory, cases=CASES):
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    return [(case, build(case, directory)) for case in cases]


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus")
    for case, path in generate(target):
        print(f"{case.expect or 'accepted':<20} {case.policy:<20} {path.stat().st_size:>12} {path}")  # noqa: T201
