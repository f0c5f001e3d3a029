import pytest

from conftest import log_in
from eservices.mailbox import services
from eservices.units.tests.factories import StaffFactory

from .factories import case_with_parties, send


@pytest.mark.django_db
def test_the_administrator_sets_rules_and_reads_messages(client):
    case_file, clerk, person, _lawyer, _document = case_with_parties()
    (message,) = send(clerk, case_file, [services.mailbox_of_user(person)])
    log_in(client, StaffFactory(is_staff=True, is_superuser=True))  # the admin needs strong authentication
    assert client.get("/fr/admin/mailbox/deliveryrule/add/").status_code == 200
    assert client.get("/fr/admin/legal_calendar/legalholiday/").status_code == 200
    assert client.get("/fr/admin/legal_calendar/legalholiday/add/").status_code == 403  # through the back office
    page = client.get(f"/fr/admin/mailbox/message/{message.pk}/change/")
    assert page.status_code == 200
    assert client.get("/fr/admin/mailbox/message/add/").status_code == 403
