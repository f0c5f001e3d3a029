"""The dashboards' pages and the staff home are clean for axe-core in a real browser, in French and Dutch."""

import datetime

import pytest

from conftest import assert_accessible
from eservices.access.models import AccessRequest
from eservices.casefiles import services as casefile_services
from eservices.casefiles.models import Phase, PhaseTarget
from eservices.dashboards import reports
from eservices.dashboards.models import SemesterReport
from eservices.identity.tests.factories import UserFactory
from eservices.units.models import StaffRole, Unit
from eservices.units.tests.factories import StaffFactory, UnitFactory


@pytest.fixture
def lead(transactional_db):
    unit = UnitFactory(code="SECM", kind=Unit.Kind.SERVICE)
    lead = StaffFactory(unit=unit, unit__role=StaffRole.ADMINISTRATOR)
    StaffFactory(unit=UnitFactory(code="FD", kind=Unit.Kind.LEADING_OFFICIAL))
    PhaseTarget.objects.create(kind="investigation", phase=Phase.ADMISSIBILITY, working_days=10)
    case_file = casefile_services.create_case_file(
        actor=lead,
        unit=unit,
        reference="SECM/2026/1",
        kind="investigation",
        subject="Contrôle",
        language="fr",
        opened_on=datetime.date(2026, 9, 1),
    )
    casefile_services.change_phase(
        actor=lead, case_file=case_file, phase=Phase.EVALUATION, on=datetime.date(2026, 9, 21)
    )
    AccessRequest.objects.create(
        requester=UserFactory(),
        reference="SECM/2026/1",
        unit=unit,
        capacity="lawyer",
        decision_due_on=datetime.date(2026, 9, 1),
    )
    return lead, case_file


@pytest.mark.parametrize("language", ["fr", "nl"])
def test_dashboard_pages_are_accessible(browser_page, lead, language):
    user, case_file = lead
    report = SemesterReport.objects.create(
        requested_by=user, semester_start=datetime.date(2026, 7, 1), language=language, unit_codes=["SECM"], progress=40
    )
    ready = SemesterReport.objects.create(
        requested_by=user, semester_start=datetime.date(2026, 1, 1), language=language, unit_codes=["SECM"]
    )
    reports.build(ready.pk)
    browser_page.log_in(user)
    for path in (
        "backoffice/",
        "backoffice/dashboard/",
        "backoffice/dashboard/?start=2026-07-01&end=2026-12-31&unit=SECM",
        "backoffice/dashboard/?start=2026-12-31&end=2026-01-01",
        "backoffice/dashboard/deadlines/",
        "backoffice/dashboard/phase-targets/",
        "backoffice/dashboard/paper/",
        f"backoffice/case-files/{case_file.pk}/",
        "backoffice/dashboard/reports/",
        f"backoffice/dashboard/reports/{report.pk}/",
        f"backoffice/dashboard/reports/{ready.pk}/",
        "backoffice/dashboard/attention-points/",
    ):
        assert browser_page.goto(f"/{language}/{path}").ok, path
        assert_accessible(browser_page)
