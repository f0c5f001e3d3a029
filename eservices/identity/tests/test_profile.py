"""The alert address is confirmed by a signed link before alerts go to it; the language is editable."""

import re

import pytest

from conftest import log_in
from eservices.audit.models import AuditEvent
from eservices.identity import queries
from eservices.identity.tests.factories import UserFactory
from eservices.notifications.models import OutboxEmail

pytestmark = pytest.mark.django_db


def confirmation_link(address):
    mail = OutboxEmail.objects.filter(to=address).latest("pk")
    return re.search(r"http://\S+/profile/confirm/\S+/", mail.body_text).group(0)


def test_new_address_is_confirmed_by_its_link(client):
    user = UserFactory(email="")
    log_in(client, user)
    client.post("/fr/account/profile/", {"preferred_language": "fr", "email": "new@example.org"})
    user.refresh_from_db()
    assert user.email == "new@example.org" and queries.alert_address(user) == ""
    link = confirmation_link("new@example.org")
    assert "new@example.org" not in link
    client.get(link.split("127.0.0.1:8000")[1])
    user.refresh_from_db()
    assert queries.alert_address(user) == "new@example.org"
    assert AuditEvent.objects.filter(action="identity.email_confirmed").exists()


def test_link_of_another_person_or_address_does_nothing(client):
    owner = UserFactory(email="")
    log_in(client, owner)
    client.post("/fr/account/profile/", {"preferred_language": "fr", "email": "a@example.org"})
    link = confirmation_link("a@example.org").split("127.0.0.1:8000")[1]
    other = UserFactory(email_confirmed_at=None)
    log_in(client, other)
    client.get(link)
    other.refresh_from_db()
    assert other.email_confirmed_at is None
    log_in(client, owner)
    client.post("/fr/account/profile/", {"preferred_language": "fr", "email": "b@example.org"})
    client.get(link)  # the link of the previous address
    owner.refresh_from_db()
    assert owner.email_confirmed_at is None
    client.get("/fr/account/profile/confirm/forged-token/")
    owner.refresh_from_db()
    assert owner.email_confirmed_at is None


def test_language_is_editable(client):
    user = UserFactory(preferred_language="fr")
    log_in(client, user)
    response = client.post("/fr/account/profile/", {"preferred_language": "nl", "email": user.email})
    assert response["Location"] == "/nl/account/profile/"
    user.refresh_from_db()
    assert user.preferred_language == "nl"


def test_profile_needs_login(client):
    assert client.get("/fr/account/profile/").status_code == 302
