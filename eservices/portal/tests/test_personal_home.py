"""After login, the home page is the person's own: who is logged in and for whom they may act, what waits for
them (unread messages, deadlines, access requests and decisions), and the main actions (issue 12)."""

import datetime

import pytest
from django.utils import timezone

from conftest import log_in
from eservices.access.models import AccessRequest
from eservices.identity.models import Capacity
from eservices.mailbox import services
from eservices.mailbox.models import Message
from eservices.mailbox.tests.factories import case_with_parties, company_with_representative, send

pytestmark = pytest.mark.django_db


def test_anonymous_sees_the_public_landing_page(client):
    html = client.get("/en/").content.decode()
    assert "How to log in" in html and "What waits for you" not in html


def test_the_person_sees_who_they_are_what_waits_and_what_to_do(client, django_assert_max_num_queries):
    case_file, clerk, person, lawyer, document = case_with_parties()
    person.first_name, person.last_name = "Marie", "Dubois"
    person.save()
    company, _representative = company_with_representative()
    company.representations.update(user=person)
    box = services.mailbox_of_user(person)
    (notification,) = send(clerk, case_file, [box], subject="Convocation", time_limit_days=15)
    send(clerk, case_file, [box], subject="Information")
    Message.objects.filter(pk=notification.pk).update(deadline=timezone.localdate() + datetime.timedelta(days=10))
    AccessRequest.objects.create(
        requester=person,
        reference="CPI/2026/0099",
        capacity=Capacity.CONCERNED_PERSON,
        decision_due_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    log_in(client, person)
    with django_assert_max_num_queries(20):
        response = client.get("/en/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Marie Dubois" in html and company.name in html  # who, and for whom
    assert "2 unread messages" in html
    assert "Convocation" in html and "10 days left" in html and f"/mailbox/{box.pk}/messages/{notification.pk}/" in html
    assert "CPI/2026/0099" in html and "Requested" in html
    for action in ("/en/case-files/", "/en/deposits/new/", "/en/access-requests/new/", "/en/my-data/"):
        assert f'href="{action}"' in html


def test_the_home_shows_only_the_persons_own_things(client):
    case_file, clerk, person, lawyer, document = case_with_parties()
    send(clerk, case_file, [services.mailbox_of_user(person)], subject="Convocation personnelle")
    log_in(client, lawyer)
    html = client.get("/en/").content.decode()
    assert "Convocation personnelle" not in html and "What waits for you" in html
