"""Submitting a deposit: all files or none, one deposit per idempotency key, evidence, receipt, e-mail."""

import hashlib
import io
import json
import uuid

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone, translation

from eservices.audit.models import AuditEvent
from eservices.casefiles.tests.factories import CaseFileFactory
from eservices.deposits import services
from eservices.deposits.models import Deposit, DepositFile
from eservices.deposits.tests.factories import make_deposit, pdf_upload, xlsx_upload
from eservices.evidence.models import DepositReceipt, EvidenceEvent
from eservices.evidence.services import events_for, verify_receipt
from eservices.identity.models import Capacity
from eservices.identity.tests.factories import UserFactory
from eservices.intake.models import StoredFile
from eservices.notifications.models import OutboxEmail
from eservices.signing.testing import LocalTSA

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Messages are asserted in English, the source language."""
    with translation.override("en"):
        yield


def stored_keys():
    try:
        return set(default_storage.listdir("intake")[1])
    except FileNotFoundError:
        return set()


def submit(person, case_file, files, key=None, **kwargs):
    return services.submit(
        actor=person,
        capacity=kwargs.pop("capacity", Capacity.LAWYER),
        case_file_reference=kwargs.pop("reference", case_file.reference),
        unit=case_file.unit,
        message="Bonjour",
        files=files,
        idempotency_key=key or uuid.uuid4().hex,
        **kwargs,
    )


def test_a_deposit_is_accepted_with_its_files_and_a_signed_receipt():
    person = UserFactory(first_name="Zoë", last_name="Dvořák", preferred_language="nl")
    case_file = CaseFileFactory()
    pdf, xlsx = pdf_upload(), xlsx_upload()
    pdf_bytes, xlsx_bytes = pdf.read(), xlsx.read()
    deposit = make_deposit(person, case_file, files=[pdf, xlsx])
    assert deposit.number == f"DEP-{timezone.localtime(deposit.accepted_at):%Y}-{deposit.pk:06d}"
    assert deposit.accepted_at.microsecond == 0
    files = list(deposit.files.all())
    assert [f.sha256 for f in files] == [hashlib.sha256(b).hexdigest() for b in (pdf_bytes, xlsx_bytes)]
    with files[0].stored_file.open() as handle:
        assert handle.read() == pdf_bytes
    assert [f.media_type for f in files] == [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ]
    receipt = services.receipt_of(deposit)
    assert receipt.status == DepositReceipt.Status.SIGNED and not receipt.delayed
    assert (receipt.language, receipt.second_language) == (case_file.language, "nl")  # the procedure's, then hers
    result = verify_receipt(receipt.pdf.read(), [("a.pdf", [pdf_bytes]), ("b.xlsx", [xlsx_bytes])])
    assert result.ok
    assert result.facts["depositor"] == {
        "name": "Zoë Dvořák",
        "capacity": "concerned_person",
        "capacity_source": "declared_by_depositor",
    }
    assert result.facts["message_sha256"] == deposit.message_sha256
    assert [e.event for e in events_for(deposit)] == [EvidenceEvent.Event.SUBMISSION_ACCEPTED]
    mail = OutboxEmail.objects.get(to=person.email)
    assert deposit.number in mail.subject and "Dvořák" not in mail.body_text


def test_one_refused_file_refuses_the_whole_deposit_and_keeps_nothing(django_capture_on_commit_callbacks):
    person, case_file = UserFactory(), CaseFileFactory()
    fake = SimpleUploadedFile("virus.pdf", b"MZ this is not a pdf", content_type="application/pdf")
    before = stored_keys()
    with django_capture_on_commit_callbacks(execute=True):
        result = submit(person, case_file, [pdf_upload(), fake])
    assert not result.ok
    assert [(v.name, v.accepted) for v in result.verdicts] == [("Conclusions.pdf", True), ("virus.pdf", False)]
    assert result.verdicts[1].reason  # intake's translated reason
    assert Deposit.objects.count() == 0 and DepositFile.objects.count() == 0
    assert stored_keys() == before
    event = EvidenceEvent.objects.get(event=EvidenceEvent.Event.SUBMISSION_REJECTED)
    assert event.details["files"][1]["accepted"] is False


def test_the_intake_limits_apply(settings):
    settings.INTAKE_MAX_FILES = 1
    result = submit(UserFactory(), CaseFileFactory(), [pdf_upload(), pdf_upload("b.pdf")])
    assert not result.ok
    assert all("at most 1 files" in verdict.reason for verdict in result.verdicts)
    assert services.limits()["max_files"] == 1


def test_no_file_or_no_reference_is_a_clear_error():
    assert "Add at least one file." in submit(UserFactory(), CaseFileFactory(), []).errors
    result = submit(UserFactory(), CaseFileFactory(), [pdf_upload()], reference="  ")
    assert result.errors == ["Give the reference of the case file."]


def test_a_double_submit_creates_one_deposit():
    person, case_file = UserFactory(), CaseFileFactory()
    first = submit(person, case_file, [pdf_upload()], key="same-key")
    second = submit(person, case_file, [pdf_upload()], key="same-key")
    assert first.deposit == second.deposit and second.duplicate
    assert Deposit.objects.count() == 1 and DepositFile.objects.count() == 1


def test_a_twin_that_wins_the_race_on_this_requests_files_is_returned_and_its_files_kept(monkeypatch):
    """Two identical submissions with one key: this one stored the files, the twin (replaying them) recorded its
    deposit first. This one answers with the twin's deposit and discards nothing the twin holds. Sequential
    here, on any database; ``test_races.py`` runs it with real threads on PostgreSQL."""
    person, case_file = UserFactory(), CaseFileFactory()
    accept = services._accept

    def twin_first(*args):
        monkeypatch.setattr(services, "_accept", accept)
        twin = submit(person, case_file, [pdf_upload()], key="same-key")
        assert twin.ok and not twin.duplicate
        return accept(*args)

    monkeypatch.setattr(services, "_accept", twin_first)
    result = submit(person, case_file, [pdf_upload()], key="same-key")
    assert result.duplicate and result.deposit == Deposit.objects.get()
    (held,) = DepositFile.objects.all()
    with held.stored_file.open() as content:
        assert content.read().startswith(b"%PDF-")
    assert not AuditEvent.objects.filter(action="intake.discarded").exists()


def test_a_company_representative_must_represent_the_company():
    from eservices.identity.models import Representation
    from eservices.identity.tests.factories import CompanyFactory

    person, company = UserFactory(), CompanyFactory()
    result = submit(
        person, CaseFileFactory(), [pdf_upload()], capacity=Capacity.COMPANY_REPRESENTATIVE, company=company
    )
    assert "Choose a company that you represent." in result.errors
    Representation.objects.create(user=person, company=company, status=Representation.Status.CONFIRMED)
    result = submit(
        person, CaseFileFactory(), [pdf_upload()], capacity=Capacity.COMPANY_REPRESENTATIVE, company=company
    )
    assert result.ok and result.deposit.company == company


def test_a_crash_while_recording_leaves_nothing_behind(monkeypatch, django_capture_on_commit_callbacks):
    person, case_file = UserFactory(), CaseFileFactory()
    before = stored_keys()

    def crash(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services.evidence, "create_receipt", crash)  # a failure inside the transaction
    with pytest.raises(RuntimeError), django_capture_on_commit_callbacks(execute=True):
        submit(person, case_file, [pdf_upload(), xlsx_upload()])
    assert Deposit.objects.count() == 0 and DepositFile.objects.count() == 0
    assert stored_keys() == before


def test_when_the_tsa_is_down_the_deposit_stays_accepted_and_the_receipt_is_queued(settings):
    person, case_file = UserFactory(), CaseFileFactory()
    stamper = services.evidence.signing.timestamper()
    with LocalTSA(stamper, fail=True) as url:
        settings.SIGNING_TSA_URL = url
        deposit = make_deposit(person, case_file)
    receipt = services.receipt_of(deposit)
    assert deposit.pk and receipt.status == DepositReceipt.Status.PENDING
    assert not OutboxEmail.objects.filter(to=person.email).exists()
    with LocalTSA(stamper) as url:
        settings.SIGNING_TSA_URL = url
        out = io.StringIO()
        call_command("sign_pending_receipts", stdout=out)
    assert "1 proof(s)" in out.getvalue()
    receipt.refresh_from_db()
    assert receipt.status == DepositReceipt.Status.SIGNED and receipt.delayed
    result = verify_receipt(receipt.pdf.read())
    assert result.ok
    assert result.facts["accepted_at"].startswith(
        f"{deposit.accepted_at.astimezone(services.receipts.BRUSSELS):%Y-%m-%dT%H:%M:%S}"
    )
    assert OutboxEmail.objects.filter(to=person.email).count() == 1


def test_export_evidence_writes_receipt_files_and_events(tmp_path):
    deposit = make_deposit(UserFactory(), CaseFileFactory())
    call_command("export_evidence", deposit.number, "--out", str(tmp_path / "bundle"), stdout=io.StringIO())
    bundle = tmp_path / "bundle"
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert "receipt.pdf" in manifest and len([k for k in manifest if k.startswith("files/")]) == 2
    for relative, digest in manifest.items():
        assert hashlib.sha256((bundle / relative).read_bytes()).hexdigest() == digest
    events = json.loads((bundle / "evidence-events.json").read_text())
    assert events[0]["event"] == "submission_accepted"
    files = sorted((bundle / "files").iterdir())
    out = io.StringIO()
    call_command("verify_receipt", str(bundle / "receipt.pdf"), *map(str, files), stdout=out, stderr=io.StringIO())
    assert "Verification passed." in out.getvalue()


def test_staff_attach_a_file_with_the_same_bytes_and_hash_and_acknowledge():
    from eservices.units.tests.factories import StaffFactory

    case_file = CaseFileFactory()
    staff = StaffFactory(unit=case_file.unit)
    deposit = make_deposit(UserFactory(), case_file)
    item = deposit.files.first()
    document = services.attach_file(actor=staff, deposit_file=item)
    assert document.sha256 == item.sha256 and document.size == item.size
    with item.stored_file.open() as handle:
        assert document.file.read() == handle.read()
    assert services.attach_file(actor=staff, deposit_file=item) == document  # once only
    services.acknowledge(actor=staff, deposit=deposit)
    deposit.refresh_from_db()
    assert deposit.state == Deposit.State.ACKNOWLEDGED and deposit.rag() is None
    assert AuditEvent.objects.filter(action="deposit.acknowledged", object_id=str(deposit.pk)).exists()


def test_rag_status_follows_the_triage_deadline():
    import datetime

    deposit = Deposit(triage_due_on=datetime.date(2026, 3, 6), state=Deposit.State.RECEIVED)  # a Friday
    assert deposit.rag(datetime.date(2026, 3, 3)) == Deposit.Rag.GREEN
    assert deposit.rag(datetime.date(2026, 3, 5)) == Deposit.Rag.ORANGE
    assert deposit.rag(datetime.date(2026, 3, 6)) == Deposit.Rag.ORANGE
    assert deposit.rag(datetime.date(2026, 3, 9)) == Deposit.Rag.RED


def test_an_unexpected_failure_while_signing_keeps_the_deposit_accepted(monkeypatch):
    def broken(receipt):
        raise OSError("disk full")

    monkeypatch.setattr(services.evidence, "sign_receipt", broken)
    result = submit(UserFactory(), CaseFileFactory(), [pdf_upload()])
    assert result.ok and Deposit.objects.count() == 1
    assert services.receipt_of(result.deposit).status == DepositReceipt.Status.PENDING


@pytest.mark.django_db
def test_files_left_by_a_worker_killed_before_the_deposit_commits_are_reused_or_reclaimed(
    settings, django_capture_on_commit_callbacks
):
    """The intake commits the files, then the worker dies before the deposit does (simulated: the files are stored
    and no deposit follows). The same idempotency key still yields one deposit, on those files; files nothing
    owns past the longest upload allowed are withdrawn by cleanup_intake, and a retry after that works too."""
    settings.INTAKE_UPLOAD_MAX_SECONDS = 3600
    depositor, case_file = UserFactory(), CaseFileFactory()
    left = services.store_files([pdf_upload()], actor=depositor, idempotency_key="retry-1").stored_files
    deposit = make_deposit(depositor, case_file, files=[pdf_upload()], idempotency_key="retry-1")
    assert [file.stored_file_id for file in deposit.files.all()] == [left[0].pk]
    assert Deposit.objects.count() == 1

    services.store_files([pdf_upload()], actor=depositor, idempotency_key="retry-2")
    StoredFile.objects.update(created_at=timezone.now() - timezone.timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("cleanup_intake", "--hours", "0", stdout=io.StringIO())
    assert list(StoredFile.objects.values_list("pk", flat=True)) == [left[0].pk]  # the deposit's file stays
    second = make_deposit(depositor, case_file, files=[pdf_upload()], idempotency_key="retry-2")
    assert Deposit.objects.count() == 2 and second.files.count() == 1
