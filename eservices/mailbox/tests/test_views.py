"""The citizen's mailbox: list, unread markers, filters, search, pagination, message page with documents and
evidence, archive, downloads; companies' mailboxes through confirmed representatives; 404 for everyone else."""

import datetime
import html
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format

from conftest import log_in
from eservices.core import display
from eservices.core.tests import delivery
from eservices.core.tests.delivery import attempts
from eservices.evidence.models import EvidenceEvent
from eservices.evidence.services import events_for
from eservices.identity.models import Capacity, Representation
from eservices.identity.tests.factories import UserFactory
from eservices.mailbox import services
from eservices.mailbox.models import MessageKind
from eservices.units.tests.factories import StaffFactory, UnitFactory

from .factories import case_with_parties, company_with_representative, send

Event = EvidenceEvent.Event


def mailbox_url(mailbox):
    return f"/fr/mailbox/{mailbox.pk}/"


def message_url(message):
    return f"/fr/mailbox/{message.mailbox_id}/messages/{message.pk}/"


@pytest.fixture
def scene():
    case_file, clerk, person, lawyer, document = case_with_parties()
    box = services.mailbox_of_user(person)
    (notification,) = send(
        clerk, case_file, [box], documents=[document], subject="Décision finale", time_limit_months=1
    )
    (communication,) = send(clerk, case_file, [box], kind=MessageKind.COMMUNICATION, subject="Information")
    return {
        "case_file": case_file,
        "clerk": clerk,
        "person": person,
        "lawyer": lawyer,
        "document": document,
        "box": box,
        "notification": notification,
        "communication": communication,
    }


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, scene):
    for url in ("/fr/mailbox/", mailbox_url(scene["box"]), message_url(scene["notification"])):
        response = client.get(url)
        assert response.status_code == 302
        assert "/account/login/" in response["Location"]


@pytest.mark.django_db
def test_the_owner_sees_the_list_with_unread_markers_and_deadlines(client, scene):
    log_in(client, scene["person"])
    response = client.get("/fr/mailbox/")
    assert response.status_code == 302 and response["Location"] == mailbox_url(scene["box"])
    html = client.get(mailbox_url(scene["box"])).content.decode()
    assert "Décision finale" in html and "Information" in html
    assert html.count('class="unread"') == 2
    with translation.override("fr"):  # unopened: the day (in Brussels) it will be deemed received, the limit's start
        assert date_format(timezone.localtime(scene["notification"].deemed_received_at), "l j F Y") in html
    assert response.headers["Cache-Control"]  # never cached (signed-in pages)


@pytest.mark.django_db
def test_opening_a_message_is_evidence_once_and_shows_documents_and_evidence(client, scene):
    log_in(client, scene["person"])
    message = scene["notification"]
    html = client.get(message_url(message)).content.decode()
    assert "Décision finale" in html
    assert f"/documents/{scene['document'].pk}/" in html
    client.get(message_url(message))
    opened = [event for event in events_for(message) if event.event == Event.OPENED]
    assert len(opened) == 1
    assert opened[0].actor == scene["person"]
    assert opened[0].capacity == Capacity.CONCERNED_PERSON
    html = client.get(message_url(message)).content.decode()
    with translation.override("fr"):  # Brussels time, the locale's date (eservices.core.display)
        assert display.moment(opened[0].occurred_at, seconds=True) in html
    listing = client.get(mailbox_url(scene["box"])).content.decode()
    assert listing.count('class="unread"') == 1


@pytest.mark.django_db
def test_filters_search_and_archive(client, scene):
    log_in(client, scene["person"])
    url = mailbox_url(scene["box"])
    assert "Information" not in client.get(url, {"kind": "notification"}).content.decode()
    assert "Décision finale" not in client.get(url, {"q": "inform"}).content.decode()
    assert "Information" in client.get(url, {"q": "inform"}).content.decode()
    assert "Information" in client.get(url, {"case_file": scene["case_file"].pk}).content.decode()
    assert "Information" in client.get(url, {"unit": scene["case_file"].unit_id}).content.decode()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert "Information" not in client.get(url, {"since": tomorrow}).content.decode()
    assert "Information" in client.get(url, {"until": tomorrow}).content.decode()
    assert client.get(url, {"since": "not a date", "case_file": "x"}).status_code == 200
    response = client.post(message_url(scene["communication"]) + "archive/")
    assert response.status_code == 302
    assert "Information" not in client.get(url).content.decode()
    assert "Information" in client.get(url, {"archived": "on"}).content.decode()
    client.post(message_url(scene["communication"]) + "archive/", {"archived": "0"})
    assert "Information" in client.get(url).content.decode()


@pytest.mark.django_db
def test_pagination(client, scene):
    for number in range(30):
        send(
            scene["clerk"],
            scene["case_file"],
            [scene["box"]],
            kind=MessageKind.COMMUNICATION,
            subject=f"Lot {number:02d}",
        )
    log_in(client, scene["person"])
    first = client.get(mailbox_url(scene["box"])).content.decode()
    assert "Lot 29" in first and "Lot 00" not in first and 'href="?after=' not in first
    older = html.unescape(re.search(r'href="\?(before=[^"]+)"', first).group(1))
    second = client.get(mailbox_url(scene["box"]) + "?" + older).content.decode()
    assert "Lot 00" in second and "Lot 29" not in second and 'href="?before=' not in second
    newer = html.unescape(re.search(r'href="\?(after=[^"]+)"', second).group(1))
    back = client.get(mailbox_url(scene["box"]) + "?" + newer).content.decode()
    assert "Lot 29" in back and "Lot 05" in back and "Lot 04" not in back  # the same 25 as the first page
    assert "Lot 29" in client.get(mailbox_url(scene["box"]), {"before": "not a cursor"}).content.decode()


@pytest.mark.django_db
def test_downloading_a_document_is_an_attachment_and_evidence(client, scene):
    log_in(client, scene["person"])
    message, document = scene["notification"], scene["document"]
    response = client.get(message_url(message) + f"documents/{document.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    downloaded = events_for(message).get(event=Event.DOWNLOADED)
    assert downloaded.actor == scene["person"]
    assert downloaded.details["sha256"] == document.sha256


@pytest.mark.django_db
def test_a_document_not_in_the_message_is_404(client, scene):
    from eservices.casefiles.tests.factories import add_pdf_document

    other = add_pdf_document(scene["case_file"], title="Autre")
    log_in(client, scene["person"])
    assert client.get(message_url(scene["notification"]) + f"documents/{other.pk}/").status_code == 404


@pytest.mark.django_db
def test_everyone_else_gets_404(client, scene):
    message = scene["notification"]
    urls = [
        mailbox_url(scene["box"]),
        message_url(message),
        message_url(message) + f"documents/{scene['document'].pk}/",
    ]
    # Another citizen, the lawyer of the same case (their own mailbox is another), and the sending clerk.
    for intruder in (UserFactory(), scene["lawyer"], scene["clerk"]):
        client.logout()
        log_in(client, intruder)
        for url in urls:
            assert client.get(url).status_code == 404, (intruder, url)
        assert client.post(message_url(message) + "archive/").status_code == 404
    # A message id guessed inside one's own mailbox.
    log_in(client, scene["lawyer"])
    own = services.mailbox_of_user(scene["lawyer"])
    assert client.get(f"/fr/mailbox/{own.pk}/messages/{message.pk}/").status_code == 404
    assert client.get("/fr/mailbox/999999/").status_code == 404
    message.refresh_from_db()
    assert message.opened_at is None
    assert not events_for(message).filter(event__in=[Event.OPENED, Event.DOWNLOADED]).exists()


@pytest.mark.django_db
def test_a_companys_mailbox_is_read_by_its_confirmed_representatives_and_each_opening_says_who(client):
    case_file, clerk, _person, _lawyer, _document = case_with_parties()
    company, first = company_with_representative()
    second = UserFactory()
    Representation.objects.create(user=second, company=company, status=Representation.Status.CONFIRMED)
    requested = UserFactory()
    Representation.objects.create(user=requested, company=company, status=Representation.Status.REQUESTED)
    ended = UserFactory()
    Representation.objects.create(user=ended, company=company, status=Representation.Status.ENDED)
    box = services.mailbox_of_company(company)
    (message,) = send(clerk, case_file, [box])
    for outsider in (requested, ended):
        client.logout()
        log_in(client, outsider)
        assert client.get(mailbox_url(box)).status_code == 404
        assert client.get(message_url(message)).status_code == 404
    client.logout()
    log_in(client, second)
    index = client.get("/fr/mailbox/")
    assert index.status_code == 200  # their own mailbox and the company's
    assert company.name in index.content.decode()
    assert client.get(mailbox_url(box)).status_code == 200
    client.get(message_url(message))
    client.logout()
    log_in(client, first)
    client.get(message_url(message))
    opened = events_for(message).get(event=Event.OPENED)
    assert (opened.actor, opened.capacity) == (second, Capacity.COMPANY_REPRESENTATIVE)
    message.refresh_from_db()
    assert message.opened_by == second


@pytest.mark.django_db
def test_staff_of_another_unit_cannot_reach_a_message_in_the_back_office(client, scene):
    outsider = StaffFactory(unit=UnitFactory(code="CR"))
    log_in(client, outsider)
    assert client.get(f"/fr/backoffice/mailbox/messages/{scene['notification'].pk}/").status_code == 404


@pytest.mark.django_db
def test_a_lawyer_opens_a_message_in_their_capacity_of_lawyer(client, scene):
    (message,) = send(scene["clerk"], scene["case_file"], [services.mailbox_of_user(scene["lawyer"])])
    log_in(client, scene["lawyer"])
    assert client.get(message_url(message)).status_code == 200
    opened = events_for(message).get(event=Event.OPENED)
    assert (opened.actor, opened.capacity) == (scene["lawyer"], Capacity.LAWYER)


@pytest.mark.django_db
def test_archiving_needs_the_csrf_token(scene):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    log_in(client, scene["person"])
    assert client.post(message_url(scene["communication"]) + "archive/").status_code == 403
    scene["communication"].refresh_from_db()
    assert scene["communication"].archived_at is None
    assert client.get(message_url(scene["communication"]) + "archive/").status_code == 405


@pytest.mark.django_db
@attempts()
def test_a_download_is_evidence_whenever_the_answer_hands_over_the_document(client, scene, attempt):
    """Byte 0 or the whole file leaving is DOWNLOADED evidence, whatever the headers; continuations, HEAD and 416
    are not (``core.downloads.delivers_document``)."""
    log_in(client, scene["person"])
    message, document = scene["notification"], scene["document"]
    delivery.attempt(client, message_url(message) + f"documents/{document.pk}/", attempt)
    assert events_for(message).filter(event=Event.DOWNLOADED).count() == int(attempt.recorded)


@pytest.mark.django_db
def test_the_deadline_screen_says_the_event_the_last_day_until_midnight_and_the_legal_effect(client, scene):
    log_in(client, scene["person"])
    html = " ".join(client.get(message_url(scene["notification"])).content.decode().split())
    message = scene["notification"]
    message.refresh_from_db()
    with translation.override("fr"):
        last_day = date_format(message.deadline, "l j F Y")
    assert f"Dernier jour : {last_day}, jusqu'à 24 h 00, heure de Bruxelles" in html
    assert "Le délai court à partir du lendemain de cet événement : ouverture" in html
    assert "Effet juridique" in html
