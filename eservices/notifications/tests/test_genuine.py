"""Genuine alerts: every e-mail carries a check code that the public page confirms (when it was sent, nothing
more), no alert carries a document or its title, and outgoing mail is DKIM-signed when a key is configured."""

import base64
import email
import random

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client

from conftest import set_rates
from eservices.casefiles.tests.factories import add_pdf_document
from eservices.mailbox import services as mailbox
from eservices.mailbox.tests.factories import case_with_parties, send
from eservices.notifications import services
from eservices.notifications.models import OutboxEmail

from .smtp import smtp_server, use_smtp

URL = "/en/verify/email/"


def client():
    return Client(REMOTE_ADDR=f"10.{random.randint(0, 255)}.{random.randint(0, 255)}.{random.randint(1, 254)}")


def alert_with_secret_title():
    case_file, clerk, person, _lawyer, _document = case_with_parties()
    secret = add_pdf_document(case_file, title="Rapport psychiatrique confidentiel", actor=clerk)
    (message,) = send(
        clerk, case_file, [mailbox.mailbox_of_user(person)], subject="Décision médicale", documents=[secret]
    )
    return message, secret, OutboxEmail.objects.get()


@pytest.mark.django_db
def test_an_alert_carries_a_check_code_and_neither_the_document_nor_its_title():
    message, secret, alert = alert_with_secret_title()
    assert services.normalise_check_code(alert.check_code) == alert.check_code
    assert alert.check_code in alert.body_text and alert.check_code in alert.body_html
    assert f"/{alert.language}/verify/email/" in alert.body_text  # in the mail's language
    for text in (alert.subject, alert.body_text, alert.body_html):
        assert secret.title not in text and message.subject not in text


@pytest.mark.django_db
def test_the_public_page_says_when_the_portal_sent_it_and_nothing_more(settings):
    message, secret, alert = alert_with_secret_title()
    browser = client()
    # Not sent yet: the page does not confirm it.
    html = browser.post(URL, {"code": alert.check_code}).content.decode()
    assert "The portal sent no e-mail with this check code." in html
    services.deliver(alert.pk)  # the folder backend of the tests "sends" it
    alert.refresh_from_db()
    assert alert.status == OutboxEmail.Status.SENT
    typed = alert.check_code.replace("-", " ").lower()  # as a person may type it
    html = browser.post(URL, {"code": typed}).content.decode()
    assert "This e-mail was sent by the portal on" in html
    for private in (alert.to, secret.title, message.subject, alert.subject):
        assert private not in html
    assert (
        "The portal sent no e-mail with this check code." in browser.post(URL, {"code": "AAAAA-AAAAA"}).content.decode()
    )
    assert "The portal sent no e-mail" in browser.post(URL, {"code": "nonsense"}).content.decode()


@pytest.mark.django_db
def test_the_check_is_rate_limited_per_address(settings):
    set_rates(settings, "email_check", ip="3/m")
    browser = client()
    statuses = [browser.post(URL, {"code": services.new_check_code()}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest.fixture
def dkim_key(settings, tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / "dkim.pem"
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    settings.DKIM_PRIVATE_KEY_PATH = str(path)
    settings.DKIM_SELECTOR = "secm"
    settings.DKIM_DOMAIN = "riziv-inami.example"
    public = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    record = b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)

    def dns(name, timeout=5):
        """The DNS answer a receiving server would get for the portal's selector (and nothing else)."""
        return record if name == b"secm._domainkey.riziv-inami.example." else None

    return dns


@pytest.mark.django_db(transaction=True)
def test_mail_through_a_real_smtp_server_is_dkim_signed_and_a_changed_byte_fails(settings, dkim_key):
    with smtp_server() as (controller, handler):
        use_smtp(settings, controller.port)
        services.queue_email(
            template="mailbox/email/new_item", to="person@example.org", language="fr", context={"mailbox_url": "x"}
        )
    (envelope,) = handler.envelopes
    data = envelope.original_content
    assert email.message_from_bytes(data)["DKIM-Signature"]
    assert "d=riziv-inami.example" in email.message_from_bytes(data)["DKIM-Signature"].replace(" ", "")
    assert dkim.verify(data, dnsfunc=dkim_key)
    body_at = data.index(b"\r\n\r\n") + 10
    changed = data[:body_at] + bytes([data[body_at] ^ 1]) + data[body_at + 1 :]
    assert not dkim.verify(changed, dnsfunc=dkim_key)


@pytest.mark.django_db
def test_without_a_key_mail_is_not_signed(settings, tmp_path):
    settings.DKIM_PRIVATE_KEY_PATH = ""
    assert services.__name__  # the module imports with the setting empty
    from eservices.core.mail import dkim_sign

    assert dkim_sign(b"From: a@b\r\n\r\nx") == b"From: a@b\r\n\r\nx"
