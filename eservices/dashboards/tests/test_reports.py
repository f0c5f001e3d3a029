"""The semester report: asked for by staff for units they may see, built in the background with its progress,
the requester told by e-mail; a PDF in French or Dutch with the integrated table, the same bytes from the same
data."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from conftest import log_in
from eservices.audit.models import AuditEvent
from eservices.dashboards import reports, services
from eservices.dashboards.models import AttentionPoint, SemesterReport
from eservices.notifications.models import OutboxEmail
from eservices.units.models import StaffRole, Unit
from eservices.units.tests.factories import StaffFactory, UnitFactory

H1 = datetime.date(2026, 1, 1)


@pytest.fixture
def lead(db):
    unit = UnitFactory(code="SECM", kind=Unit.Kind.SERVICE, name_fr="Service SECM", name_nl="Dienst DGEC")
    UnitFactory(code="CPI", kind=Unit.Kind.REGISTRY)
    return StaffFactory(unit=unit, unit__role=StaffRole.UNIT_LEAD, email="chef@example.org")


def _text(content):
    """The PDF's text as poppler's pdftotext reads it (layout-free, lines joined)."""
    from eservices.evidence.tests.test_receipts import pdf_text

    return " ".join(pdf_text(content).split())


def test_a_report_is_built_in_the_background_and_its_requester_told(lead, django_capture_on_commit_callbacks):
    unit = Unit.objects.get(code="SECM")
    services.write_attention_points(
        actor=lead, unit=unit, semester_start=H1, texts={"access": "Deux décisions tardives en mai."}
    )
    with django_capture_on_commit_callbacks(execute=True):
        report = services.request_semester_report(actor=lead, semester_start=H1, language="fr", units=[unit])
    report.refresh_from_db()
    assert (report.state, report.progress) == (SemesterReport.State.READY, 100)
    text = _text(bytes(report.pdf))
    assert "Rapport semestriel" in text and "1er semestre 2026" in text
    assert "Deux décisions tardives en mai." in text and "Points d'attention" in text
    email = OutboxEmail.objects.get(to="chef@example.org")
    assert f"/reports/{report.pk}/" in email.body_text
    assert AuditEvent.objects.filter(action="dashboard.report_requested").exists()


def test_the_same_data_give_the_same_pdf_in_dutch(lead):
    unit = Unit.objects.get(code="SECM")
    report = SemesterReport.objects.create(requested_by=lead, semester_start=H1, language="nl", unit_codes=["SECM"])
    first, second = reports.render(report), reports.render(report)
    assert first == second
    assert "Semesterverslag" in _text(first) and "Dienst DGEC" in _text(first)
    assert AttentionPoint.objects.count() == 0 and unit


def test_no_report_of_a_court_for_the_service(lead):
    with pytest.raises(PermissionDenied):
        services.request_semester_report(
            actor=lead, semester_start=H1, language="fr", units=[Unit.objects.get(code="CPI")]
        )
    assert not SemesterReport.objects.exists()


def test_progress_is_shown_and_only_the_requester_downloads(lead):
    report = SemesterReport.objects.create(
        requested_by=lead, semester_start=H1, language="fr", unit_codes=["SECM"], progress=40, state="running"
    )
    client = Client()
    log_in(client, lead)
    page = client.get(f"/fr/backoffice/dashboard/reports/{report.pk}/")
    assert '<progress id="report-progress" max="100" value="40">' in page.text
    assert client.get(f"/fr/backoffice/dashboard/reports/{report.pk}/pdf").status_code == 404  # not ready
    reports.build(report.pk)  # already running: built all the same
    report.refresh_from_db()
    answer = client.get(f"/fr/backoffice/dashboard/reports/{report.pk}/pdf")
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF")
    other = StaffFactory(unit=Unit.objects.get(code="SECM"))
    other_client = Client()
    log_in(other_client, other)
    assert other_client.get(f"/fr/backoffice/dashboard/reports/{report.pk}/pdf").status_code == 404


def test_points_of_attention_are_for_the_units_staff(lead):
    cpi = Unit.objects.get(code="CPI")
    with pytest.raises(PermissionDenied):
        services.write_attention_points(actor=lead, unit=cpi, semester_start=H1, texts={"access": "x"})
    assert not AttentionPoint.objects.exists()
