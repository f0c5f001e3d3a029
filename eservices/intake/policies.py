"""Named intake policies: which types a kind of upload accepts and how much of it.

Limits come from the settings (INTAKE_MAX_FILE_MB, INTAKE_MAX_SUBMISSION_MB, INTAKE_MAX_FILES) so that
an operator can change them without code; the accepted types belong to the procedure and live here.
"""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Policy:
    name: str
    types: tuple  # codes of eservices.intake.content.TYPES
    max_file_bytes: int
    max_submission_bytes: int
    max_files: int


DEPOSIT = "deposit"  # a citizen's deposit in the mailbox: PDF, XLSX, XLS
SUPPORTING_DOCUMENT = "supporting_document"  # a supporting document of an access request: PDF
CASEFILE_DOCUMENT = "casefile_document"  # a document staff add to a case file: PDF, XLSX, XLS

TYPES = {
    DEPOSIT: ("pdf", "xlsx", "xls"),
    SUPPORTING_DOCUMENT: ("pdf",),
    CASEFILE_DOCUMENT: ("pdf", "xlsx", "xls"),
}


def get(name: str | Policy) -> Policy:
    """The :class:`Policy` called ``name`` (a Policy passes through, for tests and special callers)."""
    if isinstance(name, Policy):
        return name
    if name not in TYPES:
        raise LookupError(f"unknown intake policy {name!r}; known: {', '.join(TYPES)}")
    return Policy(
        name=name,
        types=TYPES[name],
        max_file_bytes=settings.INTAKE_MAX_FILE_BYTES,
        max_submission_bytes=settings.INTAKE_MAX_SUBMISSION_BYTES,
        max_files=settings.INTAKE_MAX_FILES,
    )


def largest_file_bytes() -> int:
    """The largest per-file limit of any policy: what the upload handler lets through at most."""
    return max(get(name).max_file_bytes for name in TYPES)
