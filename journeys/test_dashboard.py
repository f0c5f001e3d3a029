"""A registry clerk opens the back office: what needs attention today, then the dashboard of their court only
(charts beside their tables), exports a table, asks for the semester report and downloads it."""

import datetime

from eservices.access.models import AccessRequest
from eservices.casefiles import services as casefile_services
from eservices.casefiles.models import Phase, PhaseTarget


def _history(world):
    """Case files of the registry moving through their phases over the year, and decided access requests."""
    clerk = world.clerk
    PhaseTarget.objects.create(kind="first_instance", phase=Phase.ADMISSIBILITY, working_days=10)
    PhaseTarget.objects.create(kind="first_instance", phase=Phase.EVALUATION, working_days=40)
    for index in range(8):
        opened = datetime.date(2026, 1, 5) + datetime.timedelta(days=index * 35)
        case_file = casefile_services.create_case_file(
            actor=clerk,
            unit=world.unit,
            reference=f"CPI/2026/{9000 + index}",
            kind="first_instance",
            subject="Recours",
            language="fr" if index % 2 else "nl",
            opened_on=opened,
            origin=("inspection", "complaint", "referral")[index % 3],
        )
        ended = opened + datetime.timedelta(days=12 + index % 4)
        casefile_services.change_phase(actor=clerk, case_file=case_file, phase=Phase.EVALUATION, on=ended)
    for index in range(6):
        due = datetime.date(2026, 2, 2) + datetime.timedelta(days=index * 30)
        AccessRequest.objects.create(
            requester=world.outsider,
            reference=f"CPI/2026/{9000 + index}",
            unit=world.unit,
            capacity="lawyer",
            state=AccessRequest.State.GRANTED,
            decision_due_on=due,
            decided_at=datetime.datetime(2026, due.month, due.day, 10, tzinfo=datetime.UTC)
            + datetime.timedelta(days=index % 3 - 1),
        )


def test_the_registry_sees_its_court_exports_and_downloads_the_semester_report(journey, tmp_path):
    page, world = journey.page, journey.world
    _history(world)
    journey.log_in("clerk", staff=True)
    assert "Greffe CPI" in page.locator(".attention").inner_text()
    page.click("text=Tableau de bord")
    page.select_option("#id_unit", "CPI")
    page.fill("#id_start", "2026-01-01")
    page.fill("#id_end", "2026-06-30")
    page.get_by_role("button", name="Afficher").click()
    main = page.locator("main").inner_text()
    assert "Durée de chaque phase" in main and "SECM" not in main
    assert page.locator("svg.chart").count() == 6
    journey.check("dashboard")
    with page.expect_download() as download:
        page.locator("#figure-phases a", has_text="CSV").click()
    assert download.value.suggested_filename.startswith("phases-20260101-20260630")
    page.goto("/fr/backoffice/dashboard/reports/")
    page.select_option("#id_semester", "2026-01-01")
    page.get_by_role("button", name="Produire le rapport").click()
    assert "Prêt" in page.locator("main").inner_text()
    journey.check()
    with page.expect_download() as download:
        page.click("text=Télécharger le rapport (PDF)")
    report = tmp_path / "report.pdf"
    download.value.save_as(report)
    assert report.read_bytes().startswith(b"%PDF")
