"""Retention (R31): with a fixed clock, case files closed longer than the periods lose their documents' bytes and
personal data; what was removed is recorded; the audit trail is never touched."""

import datetime
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.management import call_command

from conftest import log_in
from eservices.access import services as access_services
from eservices.audit.models import AuditEvent
from eservices.audit.services import verify_chain
from eservices.casefiles import services
from eservices.casefiles.models import CaseFile, Document, Party
from eservices.casefiles.tests.factories import CaseFileFactory, PartyFactory, add_pdf_document
from eservices.identity.models import Capacity
from eservices.identity.tests.factories import UserFactory
from eservices.units.tests.factories import StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2036, 6, 1)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch, settings):
    """The retention job's clock stands still on TODAY; periods of a year for documents, two for personal data."""
    monkeypatch.setattr("eservices.casefiles.retention.today", lambda: TODAY)
    settings.RETENTION = {"documents": 365, "personal_data": 730}


def closed_case_file(closed_on):
    case_file = CaseFileFactory(
        status=CaseFile.Status.CLOSED, opened_on=closed_on - datetime.timedelta(days=90), closed_on=closed_on
    )
    person = UserFactory()
    PartyFactory(case_file=case_file, user=person, display_name="Jan Peeters", inami_number="12345678901")
    document = add_pdf_document(case_file, actor=StaffFactory(unit=case_file.unit))
    access_services.submit_request(
        actor=person, reference=case_file.reference, capacity=Capacity.CONCERNED_PERSON, acting_for="",
        message="Mon médecin m'a dit que...",
    )  # fmt: skip
    return case_file, document


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the command; the files are deleted once its transactions commit."""

    def command(*args):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("apply_retention", *args, stdout=out)
        return out.getvalue()

    return command


def test_only_what_is_past_its_period_is_removed(run):
    old, old_document = closed_case_file(TODAY - datetime.timedelta(days=800))  # past both periods
    middle, middle_document = closed_case_file(TODAY - datetime.timedelta(days=400))  # past documents only
    recent, recent_document = closed_case_file(TODAY - datetime.timedelta(days=30))  # within both
    still_open = CaseFileFactory(status=CaseFile.Status.OPEN)
    open_document = add_pdf_document(still_open)
    old_key = old_document.file.name
    events_before = list(AuditEvent.objects.order_by("sequence").values_list("sequence", "entry_hash"))

    output = run()

    assert f"Removed from {old.reference}" in output and "2 case files touched" in output
    old_document.refresh_from_db()
    assert not old_document.file and not default_storage.exists(old_key)
    assert old_document.sha256 and old_document.title  # what existed can still be told
    assert not old_document.is_released  # and it is no longer served
    party = Party.objects.get(case_file=old)
    assert (party.display_name, party.inami_number, party.user) == ("[removed]", "", None)
    middle_document.refresh_from_db()
    assert not middle_document.file
    assert Party.objects.get(case_file=middle).display_name == "Jan Peeters"  # personal data: 2 years
    for document in (recent_document, open_document):
        document.refresh_from_db()
        assert document.file and default_storage.exists(document.file.name)
    assert Party.objects.get(case_file=recent).display_name == "Jan Peeters"

    # What was removed is recorded; the trail before it is untouched and still verifies.
    events = AuditEvent.objects.filter(action="retention.applied").order_by("sequence")
    assert [(event.object_id, event.capacity) for event in events] == [
        (str(old.pk), "system"),
        (str(middle.pk), "system"),
    ]
    assert events[0].details == {
        "on": "2036-06-01", "closed_on": old.closed_on.isoformat(), "documents": 1, "parties": 1,
        "access_request_texts": 1,
    }  # fmt: skip
    assert events[1].details["documents"] == 1 and "parties" not in events[1].details
    assert (
        list(AuditEvent.objects.order_by("sequence").values_list("sequence", "entry_hash"))[: len(events_before)]
        == events_before
    )
    assert verify_chain().intact


def test_access_request_texts_are_removed(run):
    from eservices.access.models import AccessRequest

    old, _document = closed_case_file(TODAY - datetime.timedelta(days=800))
    AccessRequest.objects.filter(reference=old.reference).update(case_file=old)  # linked by staff
    run()
    assert AccessRequest.objects.get(reference=old.reference).message == ""


def test_a_second_run_removes_and_records_nothing_more(run):
    closed_case_file(TODAY - datetime.timedelta(days=800))
    run()
    count = AuditEvent.objects.count()
    assert "0 case files touched" in run()
    assert AuditEvent.objects.count() == count


def test_dry_run_says_what_and_removes_nothing(run):
    case_file, document = closed_case_file(TODAY - datetime.timedelta(days=800))
    output = run("--dry-run")
    assert f"Would remove from {case_file.reference}" in output and "documents 1" in output
    document.refresh_from_db()
    assert document.file and default_storage.exists(document.file.name)
    assert not AuditEvent.objects.filter(action="retention.applied").exists()


def test_a_period_of_none_keeps_for_ever(run, settings):
    settings.RETENTION = {"documents": None, "personal_data": None}
    _case_file, document = closed_case_file(TODAY - datetime.timedelta(days=10000))
    assert "0 case files touched" in run()
    document.refresh_from_db()
    assert document.file


def test_a_removed_document_is_not_served(run, client):
    case_file, document = closed_case_file(TODAY - datetime.timedelta(days=400))
    run()
    log_in(client, StaffFactory(unit=case_file.unit))
    assert client.get(f"/fr/documents/{document.pk}/download").status_code == 404
    assert Document.objects.filter(pk=document.pk).exists()


def test_staff_see_a_removed_document_as_removed(run):
    """The index says why the document cannot be opened: removed, not "waiting for the virus scan"."""
    from eservices.access.abilities import document_index

    case_file, document = closed_case_file(TODAY - datetime.timedelta(days=400))
    run()
    staff = StaffFactory(unit=case_file.unit)
    entry = next(entry for entry in document_index(staff, case_file) if entry.document.pk == document.pk)
    assert (entry.available, entry.withheld) == (False, "removed")


# Legal hold (issue 21): an appeal or a litigation stops retention; placed and lifted by the unit's staff.


@pytest.fixture
def under_appeal():
    case_file, document = closed_case_file(TODAY - datetime.timedelta(days=800))  # past both periods
    clerk = StaffFactory(unit=case_file.unit)
    return case_file, document, clerk


def test_a_held_case_file_keeps_its_documents_and_personal_data_until_the_hold_is_lifted(run, under_appeal):
    case_file, document, clerk = under_appeal
    services.place_legal_hold(actor=clerk, case_file=case_file, reason="Appeal lodged on 2036-05-20")
    event = AuditEvent.objects.get(action="casefile.legal_hold_placed")
    assert event.actor == clerk and event.details == {"reason": "Appeal lodged on 2036-05-20"}

    run()
    document.refresh_from_db()
    assert document.file and default_storage.exists(document.file.name)
    assert Party.objects.get(case_file=case_file).display_name == "Jan Peeters"
    assert not AuditEvent.objects.filter(action="retention.applied").exists()

    services.lift_legal_hold(actor=clerk, case_file=case_file)
    assert AuditEvent.objects.filter(action="casefile.legal_hold_lifted", actor=clerk).exists()
    run()
    document.refresh_from_db()
    assert not document.file
    assert AuditEvent.objects.filter(action="retention.applied", object_id=str(case_file.pk)).count() == 1


@pytest.mark.parametrize("who", ["other_unit_staff", "party", "outsider"])
def test_only_the_units_staff_place_or_lift_a_hold(under_appeal, who):
    case_file, _document, clerk = under_appeal
    actor = {
        "other_unit_staff": lambda: StaffFactory(unit=UnitFactory(code="OTHER")),
        "party": lambda: Party.objects.get(case_file=case_file).user,
        "outsider": UserFactory,
    }[who]()
    events = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.place_legal_hold(actor=actor, case_file=case_file, reason="x")
    services.place_legal_hold(actor=clerk, case_file=case_file, reason="Appeal")
    with pytest.raises(PermissionDenied):
        services.lift_legal_hold(actor=actor, case_file=case_file)
    case_file.refresh_from_db()
    assert case_file.on_legal_hold and AuditEvent.objects.count() == events + 1


def test_a_hold_needs_a_reason_and_is_placed_once(under_appeal):
    case_file, _document, clerk = under_appeal
    with pytest.raises(ValidationError):
        services.place_legal_hold(actor=clerk, case_file=case_file, reason="  ")
    services.place_legal_hold(actor=clerk, case_file=case_file, reason="Appeal")
    with pytest.raises(ValidationError):
        services.place_legal_hold(actor=clerk, case_file=case_file, reason="Again")


def test_the_removal_and_its_audit_event_commit_together(run, under_appeal, monkeypatch):
    """If the audit event cannot be written, nothing is removed (no removal without its record)."""
    case_file, document, _clerk = under_appeal

    def failing_record(*args, **kwargs):
        raise RuntimeError("audit append failed")

    monkeypatch.setattr(services, "record", failing_record)
    with pytest.raises(RuntimeError):
        run()
    document.refresh_from_db()
    assert document.file and default_storage.exists(document.file.name)
    assert Party.objects.get(case_file=case_file).display_name == "Jan Peeters"


def test_the_back_office_button_places_and_lifts_the_hold(client, under_appeal):
    case_file, _document, clerk = under_appeal
    url = f"/en/backoffice/case-files/{case_file.pk}/legal-hold/"
    log_in(client, StaffFactory(unit=UnitFactory(code="OTHER")))
    assert client.post(url, {"reason": "Appeal"}).status_code == 404
    log_in(client, clerk)
    page = client.get(f"/en/backoffice/case-files/{case_file.pk}/").content.decode()
    assert "Place the legal hold" in page
    assert client.post(url, {"reason": "Appeal lodged"}).status_code == 302
    case_file.refresh_from_db()
    assert case_file.legal_hold_reason == "Appeal lodged"
    page = client.get(f"/en/backoffice/case-files/{case_file.pk}/").content.decode()
    assert "Lift the legal hold" in page and "Appeal lodged" in page
    client.post(url, {"lift": "1"})
    assert not CaseFile.objects.get(pk=case_file.pk).on_legal_hold


def test_evidence_is_removed_only_past_its_own_period_and_counted(run, settings):
    """Evidence is kept for ever unless RETENTION["evidence"] says otherwise; then the case file's evidence (its
    documents', deposits', messages') goes, on PostgreSQL through its append-only trigger, and is counted."""
    from eservices.evidence.models import EvidenceEvent
    from eservices.evidence.services import record_event

    old, old_document = closed_case_file(TODAY - datetime.timedelta(days=800))
    recent, recent_document = closed_case_file(TODAY - datetime.timedelta(days=30))
    for subject in (old, old_document, recent_document):
        record_event(EvidenceEvent.Event.DOWNLOADED, subject=subject)
    run()
    assert EvidenceEvent.objects.count() == 3  # no evidence period: kept
    settings.RETENTION = {**settings.RETENTION, "evidence": 365}
    assert "evidence" in run("--dry-run") and EvidenceEvent.objects.count() == 3
    run()
    assert list(EvidenceEvent.objects.values_list("subject_id", flat=True)) == [str(recent_document.pk)]
    applied = AuditEvent.objects.filter(action="retention.applied", object_id=str(old.pk)).last()
    assert applied.details["evidence"] == 2
    assert verify_chain().intact


def test_the_evidence_of_deposits_and_messages_goes_with_the_case_files(run, settings):
    """Deposits and messages sit on the floor above the case files: they name their evidence subjects through
    ``casefiles.signals.evidence_subjects``, and retention removes that evidence with the case file's."""
    from eservices.deposits.tests.factories import make_deposit
    from eservices.evidence.models import EvidenceEvent
    from eservices.evidence.services import events_for
    from eservices.mailbox import services as mailbox_services
    from eservices.mailbox.tests.factories import case_with_parties, send

    case_file, clerk, person, _lawyer, _document = case_with_parties()
    deposit = make_deposit(person, case_file)
    (message,) = send(clerk, case_file, [mailbox_services.mailbox_of_user(person)])
    assert events_for(deposit).exists() and events_for(message).exists()
    CaseFile.objects.filter(pk=case_file.pk).update(
        status=CaseFile.Status.CLOSED, closed_on=TODAY - datetime.timedelta(days=800)
    )
    settings.RETENTION = {**settings.RETENTION, "evidence": 365}
    run()
    assert not events_for(deposit).exists() and not events_for(message).exists()
    assert not EvidenceEvent.objects.filter(subject_id=str(case_file.pk), subject_type="casefiles.casefile").exists()


def test_deposit_files_and_messages_go_past_their_periods_the_proofs_stay_and_a_hold_keeps_them(run, settings):
    """Every kind has its period (RETENTION_DEPOSIT_FILES_DAYS, ..._SUPPORTING_DOCUMENTS_DAYS, ..._MESSAGES_DAYS);
    the proof of deposit and the evidence outlive the files they prove; a legal hold keeps everything."""
    from eservices.deposits.services import receipt_of
    from eservices.deposits.tests.factories import make_deposit
    from eservices.evidence.services import events_for
    from eservices.mailbox import services as mailbox

    case_file, document = closed_case_file(TODAY - datetime.timedelta(days=800))
    clerk = StaffFactory(unit=case_file.unit)
    deposit = make_deposit(UserFactory(), case_file)
    (message,) = mailbox.send_dispatch(
        actor=clerk,
        dispatch=mailbox.prepare_dispatch(
            actor=clerk,
            case_file=case_file,
            kind="communication",
            subject="Rapport médical",
            text="Détails confidentiels",
            addressees=[mailbox.mailbox_of_user(UserFactory())],
            documents=[document],
        ),
    )
    stored = [item.stored_file for item in deposit.files.all()]
    settings.RETENTION = {"documents": None, "personal_data": None, "deposit_files": 365, "messages": 365}
    services.place_legal_hold(actor=clerk, case_file=case_file, reason="Appeal")
    run()
    assert all(default_storage.exists(item.storage_key) for item in stored)
    message.refresh_from_db()
    assert message.subject == "Rapport médical"

    services.lift_legal_hold(actor=clerk, case_file=case_file)
    run()
    for item in stored:
        item.refresh_from_db()
        assert item.removed_at is not None and not item.is_released and not default_storage.exists(item.storage_key)
        assert item.sha256  # the row stays as a record
    message.refresh_from_db()
    assert (message.subject, message.text) == ("[removed]", "")
    assert receipt_of(deposit).pdf and events_for(deposit).exists() and events_for(message).exists()
    applied = AuditEvent.objects.filter(action="retention.applied", object_id=str(case_file.pk)).last()
    assert applied.details["deposit_files"] == 2 and applied.details["messages"] == 1
    assert "removed" not in run()  # nothing more the second time
    assert AuditEvent.objects.filter(action="retention.applied", object_id=str(case_file.pk)).count() == 1
