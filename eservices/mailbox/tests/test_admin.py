import pytest
from django.contrib.auth import get_user_model

from eservices.mailbox import services

from .factories import case_with_parties, send


@pytest.mark.django_db
def test_the_administrator_sets_rules_and_reads_messages(client):
    case_file, clerk, person, _lawyer, _document = case_with_parties()
    (message,) = send(clerk, case_file, [services.mailbox_of_user(person)])
    admin = get_user_model().objects.create_superuser("admin", "admin@example.org", "x" * 20)
    client.force_login(admin)
    assert client.get("/fr/admin/mailbox/deliveryrule/add/").status_code == 200
    assert client.get("/fr/admin/mailbox/holiday/").status_code == 200
    page = client.get(f"/fr/admin/mailbox/message/{message.pk}/change/")
    assert page.status_code == 200
    assert client.get("/fr/admin/mailbox/message/add/").status_code == 403
