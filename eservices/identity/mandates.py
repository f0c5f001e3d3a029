"""Mandate sources: registers that assert who may act for a company (a mandate register, the BCE/KBO).

``MANDATE_SOURCE`` names the implementation (a dotted path); each source answers one question: for which
companies may the person with this national register number act? ``services.sync_mandates`` turns the answer
into confirmed representations at every login, and ends the ones the source no longer asserts.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

from . import nrn


@dataclass(frozen=True)
class Mandate:
    company_number: str
    company_name: str


class MandateSource:
    """The interface: one method."""

    def mandates_for(self, national_number):
        """The mandates held by the person with this (normalised) national register number."""
        raise NotImplementedError


class JsonMandateSource(MandateSource):
    """A JSON file of ``{"nrn": ..., "company_number": ..., "company_name": ...}`` entries (the demo's source)."""

    def __init__(self, path=None):
        self.path = Path(path or settings.MANDATE_SOURCE_FILE)

    def mandates_for(self, national_number):
        entries = json.loads(self.path.read_text(encoding="utf-8")) if self.path.is_file() else []
        wanted = nrn.normalise(national_number)
        return [
            Mandate(entry["company_number"], entry["company_name"])
            for entry in entries
            if nrn.normalise(entry["nrn"]) == wanted
        ]


def configured_source():
    """The configured source, or None when mandates come only from staff decisions."""
    return import_string(settings.MANDATE_SOURCE)() if settings.MANDATE_SOURCE else None
