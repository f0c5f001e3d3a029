"""A dashboard table as CSV or XLSX, never run as formulas when opened (cells starting with = + - @ are text)."""

import csv
import io

from openpyxl import Workbook

from .figures import Table

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula: a leading apostrophe before = + - @ (CSV injection)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a number (even negative) is a number, not a formula
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(DANGEROUS) else text


def as_csv(title: str, table: Table) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([csv_safe(title)])
    writer.writerow([csv_safe(header) for header in table.headers])
    for row in table.rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM: spreadsheets read UTF-8 as such


def _put(sheet, row: int, column: int, value) -> None:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = "" if value is None else str(value)
        cell.value = text
        cell.data_type = "s"  # a string, whatever it starts with: never a formula
        if text.startswith(DANGEROUS):
            cell.quotePrefix = True
    else:
        cell.value = value


def as_xlsx(title: str, table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "".join(c for c in title if c not in "[]:*?/\\")[:31] or "data"
    _put(sheet, 1, 1, title)
    for column, header in enumerate(table.headers, 1):
        _put(sheet, 2, column, header)
    for row_number, row in enumerate(table.rows, 3):
        for column, value in enumerate(row, 1):
            _put(sheet, row_number, column, value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


FORMATS = {
    "csv": ("text/csv; charset=utf-8", as_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", as_xlsx),
}
