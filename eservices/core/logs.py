"""Structured logs: one JSON object per line.

Every value is JSON-encoded with ``ensure_ascii``, so a CR, LF, ANSI escape or other control character in a
file name or a form field comes out as ``\\r``, ``\\n`` or ``\\u001b`` inside a string and cannot start a
forged line or recolour a terminal.
"""

import datetime
import json
import logging


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        event = getattr(record, "event", None)
        if isinstance(event, dict):
            entry["event"] = event
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=True, default=str, separators=(",", ":"))
