"""The alert address is confirmed by a signed link before alerts go to it; the language is editable."""

import re

import pytest

from conftest import log_in, set_rates
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


def _change_address(client, address):
    return client.post("/en/account/profile/", {"preferred_language": "en", "email": address})


def test_address_changes_are_rate_limited_per_account(client):
    """40 POSTs used to send 40 confirmation mails from the official sender; now 5 per hour per account."""
    user = UserFactory(email="")
    log_in(client, user)
    for n in range(40):
        _change_address(client, f"victim{n}@example.org")
    assert OutboxEmail.objects.count() == 5
    response = _change_address(client, "one-more@example.org")
    assert "Too many address changes" in response.content.decode()
    user.refresh_from_db()
    assert user.email == "victim4@example.org"
    assert AuditEvent.objects.filter(action="identity.email_changed").count() == 5


def test_one_address_gets_few_confirmation_mails_whoever_asks(client):
    """Per address written, across accounts: a victim's mailbox is not flooded from many accounts."""
    for _ in range(6):
        log_in(client, UserFactory(email=""))
        _change_address(client, "Victim@Example.org")
    assert OutboxEmail.objects.filter(to__iexact="victim@example.org").count() == 3


def test_saving_the_language_is_not_counted(client, settings):
    set_rates(settings, "email_change", user_or_ip="1/h")
    user = UserFactory(email="me@example.org")
    log_in(client, user)
    for language in ("nl", "de", "fr", "en"):
        client.post("/en/account/profile/", {"preferred_language": language, "email": "me@example.org"})
    _change_address(client, "new@example.org")
    user.refresh_from_db()
    assert user.email == "new@example.org"
