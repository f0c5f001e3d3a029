import datetime
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage

from eservices.audit.models import AuditEvent
from eservices.casefiles import services
from eservices.casefiles.models import Document
from eservices.demo.files import make_pdf
from eservices.identity.tests.factories import UserFactory
from eservices.intake.models import IntakeRejection, StoredFile
from eservices.units.tests.factories import StaffFactory, UnitFactory

from .factories import CaseFileFactory, add_pdf_document, registrar


@pytest.mark.django_db
def test_add_document_records_hash_size_and_a_generated_key():
    case_file = CaseFileFactory()
    document = add_pdf_document(case_file, title="../../etc/passwd")
    with default_storage.open(document.file.name) as stored_file:
        stored = stored_file.read()
    assert document.sha256 == hashlib.sha256(stored).hexdigest()
    assert document.size == len(stored)
    assert document.file.name.startswith("intake/") and document.file.name == document.stored_file.storage_key
    assert document.media_type == "application/pdf"
    assert "passwd" not in document.file.name and ".." not in document.file.name
    assert document.original_filename == "../../etc/passwd.pdf"
    assert AuditEvent.objects.filter(action="document.added", object_id=str(document.pk)).exists()


@pytest.mark.django_db
def test_failed_document_leaves_no_file_behind(monkeypatch, django_capture_on_commit_callbacks):
    """If the row cannot be written, the received file is withdrawn: no intake row, no stored bytes."""
    case_file = CaseFileFactory()

    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Document, "save", fail)
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        services.add_document(
            actor=registrar(case_file.unit),
            case_file=case_file,
            title="x",
            kind="report",
            document_date="2026-01-01",
            content=io.BytesIO(make_pdf("x")),
            filename="x.pdf",
        )
    assert not StoredFile.objects.exists()
    assert default_storage.listdir("intake")[1] == []


@pytest.mark.django_db
def test_a_refused_file_is_not_added_and_its_refusal_is_kept():
    case_file = CaseFileFactory()
    with pytest.raises(ValidationError) as refused:
        services.add_document(
            actor=registrar(case_file.unit),
            case_file=case_file,
            title="x",
            kind="report",
            document_date="2026-01-01",
            content=io.BytesIO(b"%PDF-1.7 not really a PDF"),
            filename="x.pdf",
        )
    assert refused.value.error_list[0].code == "unreadable"
    assert not Document.objects.exists()
    assert IntakeRejection.objects.get().code == "unreadable"


@pytest.mark.django_db
def test_the_same_idempotency_key_adds_one_document():
    case_file = CaseFileFactory()
    kwargs = {
        "actor": registrar(case_file.unit),
        "case_file": case_file,
        "title": "x",
        "kind": "report",
        "document_date": "2026-01-01",
        "filename": "x.pdf",
        "idempotency_key": "form-1",
    }
    first = services.add_document(content=io.BytesIO(make_pdf("x")), **kwargs)
    again = services.add_document(content=io.BytesIO(make_pdf("x")), **kwargs)
    assert first == again and Document.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("reference", "closed_on", "field"),
    [("SECM/2026/000001", "2026-04-01", "__all__"), ("CPI/2026/0001", None, "reference")],
)
def test_case_file_invariants(reference, closed_on, field):
    """A case file cannot close before it opened, and its reference starts with its unit's code."""
    unit = UnitFactory(code="SECM")
    with pytest.raises(ValidationError) as error:
        services.create_case_file(
            actor=registrar(unit),
            unit=unit,
            reference=reference,
            kind="investigation",
            subject="s",
            language="fr",
            opened_on=datetime.date(2026, 5, 1),
            closed_on=closed_on,
        )
    assert field in error.value.message_dict


def _every_use_case(case_file, document):
    """Each state-changing use case of case files, ready to call with an actor."""
    return {
        "create": lambda actor: services.create_case_file(
            actor=actor,
            unit=case_file.unit,
            reference=f"{case_file.unit.code}/2026/999999",
            kind="investigation",
            subject="s",
            language="fr",
            opened_on=datetime.date(2026, 5, 1),
        ),
        "update": lambda actor: services.update_case_file(actor=actor, case_file=case_file, subject="changed"),
        "delete": lambda actor: services.delete_case_file(actor=actor, case_file=CaseFileFactory(unit=case_file.unit)),
        "add_party": lambda actor: services.add_party(
            actor=actor, case_file=case_file, role="concerned_person", display_name="X"
        ),
        "visibility": lambda actor: services.set_document_visibility(
            actor=actor, document=document, visibility=Document.Visibility.STAFF_ONLY
        ),
        "add_document": lambda actor: services.add_document(
            actor=actor,
            case_file=case_file,
            title="y",
            kind="report",
            document_date="2026-01-01",
            content=io.BytesIO(make_pdf("y")),
            filename="y.pdf",
        ),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("use_case", ["create", "update", "delete", "add_party", "visibility", "add_document"])
def test_only_staff_of_the_unit_change_its_case_files(use_case):
    """The service checks the actor itself (issue 11): staff of another unit, a citizen or no one are refused,
    and nothing is written; staff of the unit succeed."""
    case_file = CaseFileFactory()
    document = add_pdf_document(case_file)
    call = _every_use_case(case_file, document)[use_case]
    before = (AuditEvent.objects.count(), StoredFile.objects.count())
    for actor in (StaffFactory(), UserFactory(), None):
        with pytest.raises(PermissionDenied):
            call(actor)
    assert (AuditEvent.objects.count(), StoredFile.objects.count()) == before
    call(registrar(case_file.unit))
    assert AuditEvent.objects.count() > before[0]
