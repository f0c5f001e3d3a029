"""The audit trail as CSV or JSON, streamed: each row carries what recomputing its hash needs (and the hash), so
that a copy can be checked away from the portal (``manage.py verify_audit --exported``)."""

import csv
import json
from collections.abc import Callable, Iterable, Iterator

from . import chain
from .models import AuditEvent

# What recomputing each entry's hash needs, and the hash.
EXPORT_COLUMNS = (*chain.HASHED_FIELDS, "entry_hash")


def _export_row(event: AuditEvent) -> dict:
    row = {name: getattr(event, name) for name in EXPORT_COLUMNS}
    row["occurred_at"] = chain.utc_timestamp(event.occurred_at)
    return row


def spreadsheet_safe(value: object) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(events: Iterable[AuditEvent]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    yield writer.writerow(EXPORT_COLUMNS)
    for event in events:
        row = _export_row(event)
        row["details"] = json.dumps(row["details"], ensure_ascii=False, sort_keys=True)
        yield writer.writerow([spreadsheet_safe(row[name]) for name in EXPORT_COLUMNS])


def json_chunks(events: Iterable[AuditEvent]) -> Iterator[str]:
    yield "["
    for position, event in enumerate(events):
        yield ("," if position else "") + "\n" + json.dumps(_export_row(event), ensure_ascii=False)
    yield "\n]\n"


# Format name -> (content type, renderer).
FORMATS: dict[str, tuple[str, Callable[[Iterable[AuditEvent]], Iterator[str]]]] = {
    "csv": ("text/csv; charset=utf-8", csv_lines),
    "json": ("application/json; charset=utf-8", json_chunks),
}
