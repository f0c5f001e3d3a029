"""Use cases of case files: one function each, atomic, audited."""

import hashlib

from django.core.files.base import File
from django.db import transaction

from eservices.audit.services import record

from .models import CaseFile, Document, Party


@transaction.atomic
def create_case_file(*, actor, unit, reference, kind, subject, language, opened_on, request=None, **fields):
    """Open a case file in a unit; its reference must start with the unit's code."""
    case_file = CaseFile(
        unit=unit, reference=reference, kind=kind, subject=subject, language=language, opened_on=opened_on, **fields
    )
    case_file.full_clean()
    case_file.save()
    record("casefile.created", actor=actor, target=case_file, request=request)
    return case_file


@transaction.atomic
def add_party(*, actor, case_file, role, display_name, request=None, **fields):
    party = Party.objects.create(case_file=case_file, role=role, display_name=display_name, **fields)
    record("casefile.party_added", actor=actor, target=case_file, request=request, details={"party": party.pk})
    return party


@transaction.atomic
def add_document(
    *, actor, case_file, title, kind, document_date, content, filename, media_type, request=None, **fields
):
    """Store a document's bytes under a generated key, with their SHA-256 and size, in one transaction.

    If the row cannot be written, the stored bytes are deleted so that no orphan stays behind.
    """
    digest = hashlib.sha256()
    size = 0
    for chunk in File(content).chunks():
        digest.update(chunk)
        size += len(chunk)
    content.seek(0)
    document = Document(
        case_file=case_file,
        title=title,
        kind=kind,
        document_date=document_date,
        author_unit=fields.pop("author_unit", case_file.unit),
        original_filename=filename,
        media_type=media_type,
        size=size,
        sha256=digest.hexdigest(),
        **fields,
    )
    document.file.save(filename, File(content), save=False)
    try:
        document.save()
        record("document.added", actor=actor, target=document, request=request, details={"case_file": case_file.pk})
    except BaseException:
        document.file.delete(save=False)
        raise
    return document
