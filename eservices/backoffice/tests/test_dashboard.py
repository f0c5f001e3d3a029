import pytest

from conftest import log_in
from eservices.casefiles.tests.factories import CaseFileFactory
from eservices.identity.tests.factories import UserFactory
from eservices.units.tests.factories import StaffFactory, UnitFactory

URL = "/fr/backoffice/"


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302


@pytest.mark.django_db
def test_citizen_is_refused(client):
    """A person without a staff membership gets 403 on the back office."""
    log_in(client, UserFactory())
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_staff_sees_only_the_case_files_of_their_units(client):
    secm, cpi = UnitFactory(code="SECM"), UnitFactory(code="CPI")
    own = CaseFileFactory(unit=secm)
    other = CaseFileFactory(unit=cpi)
    log_in(client, StaffFactory(unit=secm))
    html = client.get(URL).content.decode()
    assert own.reference in html
    assert other.reference not in html


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["agent", "registry_clerk", "unit_lead", "administrator"])
def test_the_staff_and_roles_link_shows_only_to_whom_it_opens(client, role):
    """No dead link: only functional administrators see the page, so only they get the link."""
    log_in(client, StaffFactory(unit=UnitFactory(code="SECM"), unit__role=role))
    link = 'href="/fr/backoffice/memberships/"' in client.get(URL).content.decode()
    assert link == (client.get("/fr/backoffice/memberships/").status_code == 200)
