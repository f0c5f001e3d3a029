"""Who sees which figures (a registry clerk only their court, the Service never a court's), the staff home's
attention list, the exports' formula escaping and the phase-change form."""

import datetime
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from conftest import log_in
from eservices.access.models import AccessRequest
from eservices.audit.models import AuditEvent
from eservices.calendar import days
from eservices.casefiles.models import Phase, PhaseChange
from eservices.casefiles.tests.factories import CaseFileFactory
from eservices.dashboards import exports, queries
from eservices.dashboards.figures import Table
from eservices.identity.tests.factories import UserFactory
from eservices.units.models import StaffRole, Unit
from eservices.units.tests.factories import StaffFactory, UnitFactory


@pytest.fixture
def units(db):
    return {
        "SECM": UnitFactory(code="SECM", kind=Unit.Kind.SERVICE, name_fr="Service SECM"),
        "FD": UnitFactory(code="FD", kind=Unit.Kind.LEADING_OFFICIAL, name_fr="Fonctionnaire dirigeant"),
        "CPI": UnitFactory(code="CPI", kind=Unit.Kind.REGISTRY, name_fr="Greffe CPI"),
        "CR": UnitFactory(code="CR", kind=Unit.Kind.REGISTRY, name_fr="Greffe CR"),
    }


def _codes(user):
    return sorted(queries.dashboard_units(user).values_list("code", flat=True))


def test_who_sees_which_units(units):
    assert _codes(StaffFactory(unit=units["CPI"], unit__role=StaffRole.REGISTRY_CLERK)) == ["CPI"]
    assert _codes(StaffFactory(unit=units["CPI"], unit__role=StaffRole.UNIT_LEAD)) == ["CPI"]
    assert _codes(StaffFactory(unit=units["SECM"])) == ["SECM"]
    # The Service's unit leads and the Leading Official see the Service's units, never a court's.
    assert _codes(StaffFactory(unit=units["SECM"], unit__role=StaffRole.UNIT_LEAD)) == ["FD", "SECM"]
    assert _codes(StaffFactory(unit=units["FD"])) == ["FD", "SECM"]
    assert _codes(UserFactory()) == []


def _client(user):
    client = Client()
    log_in(client, user)
    return client


def test_a_registry_clerk_sees_only_their_court(units):
    clerk = StaffFactory(unit=units["CPI"], unit__role=StaffRole.REGISTRY_CLERK)
    client = _client(clerk)
    page = client.get("/fr/backoffice/dashboard/")
    assert page.status_code == 200
    assert "Greffe CPI" in page.text and "Greffe CR" not in page.text and "Service SECM" not in page.text
    # Asking for another unit's figures: refused by the filters, no figure shown.
    refused = client.get("/fr/backoffice/dashboard/", {"unit": "SECM"})
    assert refused.status_code == 200 and "figure-casefiles" not in refused.text
    assert client.get("/fr/backoffice/dashboard/export/access.csv", {"unit": "CR"}).status_code == 404
    assert client.get("/fr/backoffice/dashboard/export/nothing.csv").status_code == 404
    assert client.get("/fr/backoffice/dashboard/export/access.pdf").status_code == 404


def test_the_service_never_sees_a_courts_figures(units):
    lead = StaffFactory(unit=units["SECM"], unit__role=StaffRole.UNIT_LEAD)
    client = _client(lead)
    page = client.get("/fr/backoffice/dashboard/")
    assert "Fonctionnaire dirigeant" in page.text and "Greffe CPI" not in page.text
    assert client.get("/fr/backoffice/dashboard/export/casefiles.csv", {"unit": "CPI"}).status_code == 404
    assert not AuditEvent.objects.filter(action="dashboard.exported").exists()


def test_a_citizen_is_refused(units):
    assert _client(UserFactory()).get("/fr/backoffice/dashboard/").status_code == 403


def test_the_page_shows_charts_tables_and_definitions(units):
    lead = StaffFactory(unit=units["SECM"], unit__role=StaffRole.UNIT_LEAD)
    page = _client(lead).get("/nl/backoffice/dashboard/", {"start": "2026-01-01", "end": "2026-06-30"})
    assert page.status_code == 200
    assert page.text.count("<svg") == 6 and page.text.count("<title id=") == 6 and "<desc id=" in page.text
    assert "<script" not in page.text.split("<main", 1)[-1].split("</main>")[0]


def test_exports_are_csv_and_xlsx_and_audited(units):
    lead = StaffFactory(unit=units["SECM"], unit__role=StaffRole.UNIT_LEAD)
    client = _client(lead)
    csv_answer = client.get("/fr/backoffice/dashboard/export/casefiles.csv")
    assert csv_answer.status_code == 200 and csv_answer["Content-Type"].startswith("text/csv")
    xlsx_answer = client.get("/fr/backoffice/dashboard/export/casefiles-statuses.xlsx")
    assert xlsx_answer.status_code == 200
    load_workbook(io.BytesIO(xlsx_answer.content))
    assert AuditEvent.objects.filter(action="dashboard.exported").count() == 2


def test_exports_never_run_formulas():
    table = Table(["=SUM(A1)", "Count"], [["+1 cmd", 3], ["-2", -4], ["@x", 1.5], ["\tTab", None]])
    lines = exports.as_csv("=HYPERLINK()", table).decode("utf-8-sig").splitlines()
    assert lines[0] == "'=HYPERLINK()"
    assert lines[1] == "'=SUM(A1),Count"
    assert lines[2:4] == ["'+1 cmd,3", "'-2,-4"]
    assert lines[4].startswith("'@x,1.5")
    sheet = load_workbook(io.BytesIO(exports.as_xlsx("=HYPERLINK()", table))).active
    assert sheet["A1"].value == "=HYPERLINK()" and sheet["A1"].data_type == "s"
    assert sheet["A2"].data_type == "s" and sheet["A3"].data_type == "s" and sheet["A4"].data_type == "s"
    assert sheet["B4"].value == -4 and sheet["B4"].data_type == "n"


def test_the_staff_home_shows_what_needs_attention_with_its_rag(units):
    agent = StaffFactory(unit=units["SECM"])
    today = days.local_today()
    requester = UserFactory()
    for due in (today - datetime.timedelta(days=1), today + datetime.timedelta(days=30)):
        AccessRequest.objects.create(
            requester=requester, reference="SECM/1", unit=units["SECM"], capacity="lawyer", decision_due_on=due
        )
    AccessRequest.objects.create(
        requester=requester, reference="CPI/1", unit=units["CPI"], capacity="lawyer", decision_due_on=today
    )
    (secm,) = queries.attention_today(agent)
    requests = next(item for item in secm.items if item.key == "requests")
    assert (requests.count, requests.late, requests.at_risk, requests.rag) == (2, 1, 0, "R")
    assert requests.url.endswith("?unit=SECM")
    assert all(item.rag is None for item in secm.items if item.key != "requests")
    page = _client(agent).get("/fr/backoffice/")
    assert page.status_code == 200 and "/fr/backoffice/access-requests/?unit=SECM" in page.text


def test_a_phase_at_risk_shows_on_the_staff_home(units):
    agent = StaffFactory(unit=units["SECM"])
    case_file = CaseFileFactory(unit=units["SECM"], reference="SECM/2026/1")
    today = days.local_today()
    PhaseChange.objects.create(case_file=case_file, phase=Phase.ADMISSIBILITY, started_on=today, due_on=today)
    (secm,) = queries.attention_today(agent, today=today)
    phases = next(item for item in secm.items if item.key == "phases")
    assert (phases.count, phases.late, phases.at_risk, phases.rag) == (1, 0, 1, "O")
    page = _client(agent).get("/fr/backoffice/dashboard/deadlines/")
    assert "SECM/2026/1" in page.text


def test_changing_the_phase_from_the_case_file_page(units):
    agent = StaffFactory(unit=units["SECM"])
    case_file = CaseFileFactory(unit=units["SECM"], reference="SECM/2026/1")
    client = _client(agent)
    assert "Change the phase" in client.get(f"/en/backoffice/case-files/{case_file.pk}/").text
    answer = client.post(
        f"/fr/backoffice/dashboard/case-files/{case_file.pk}/phase/", {"phase": "evaluation", "on": "2026-03-10"}
    )
    assert answer.status_code == 302
    case_file.refresh_from_db()
    assert case_file.phase == Phase.EVALUATION
    other = StaffFactory(unit=units["CPI"])
    refused = _client(other).post(
        f"/fr/backoffice/dashboard/case-files/{case_file.pk}/phase/", {"phase": "decision", "on": "2026-03-11"}
    )
    assert refused.status_code == 404
    case_file.refresh_from_db()
    assert case_file.phase == Phase.EVALUATION
