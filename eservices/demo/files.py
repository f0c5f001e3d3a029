"""Small, real PDF and XLSX files made on the fly for the demo and the tests."""

import io

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from openpyxl import Workbook


def make_pdf(title, lines=()):
    """A one-page PDF with a title and some lines of text."""
    pdf = FPDF()
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 10, title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", size=11)
    for line in lines:
        pdf.multi_cell(0, 7, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())


def make_xlsx(title, rows):
    """A workbook with one sheet of rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
