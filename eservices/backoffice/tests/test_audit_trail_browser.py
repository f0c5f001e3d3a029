"""The audit trail screen in a real browser: accessible, no CSP violation."""

import pytest

from conftest import assert_accessible
from eservices.audit.services import record
from eservices.casefiles.tests.factories import CaseFileFactory
from eservices.units.models import StaffRole
from eservices.units.tests.factories import StaffFactory


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["fr", "nl"])
def test_audit_trail_is_accessible(browser_page, language):
    case_file = CaseFileFactory()
    for n in range(60):
        record("casefile.viewed", target=case_file, details={"n": n})
    messages = []
    browser_page.on("console", lambda message: messages.append(message.text))
    browser_page.log_in(StaffFactory(unit=case_file.unit, unit__role=StaffRole.ADMINISTRATOR))
    response = browser_page.goto(f"/{language}/backoffice/audit/?action=casefile.&date_from=2026-01-01")
    assert response.ok
    assert browser_page.locator("tbody tr").count() == 50
    assert_accessible(browser_page)
    assert [text for text in messages if "Content Security Policy" in text] == []
