"""The issue's story end to end: a clerk sends a notification with a deadline from the back office; the alert is
written to the mail folder; the addressee opens it; both sides see the evidence; an overdue one reaches the
paper-fallback list."""

import email

import pytest
from django.utils import translation
from django.utils.formats import date_format

from conftest import log_in
from eservices.mailbox import services
from eservices.mailbox.models import Dispatch, Message

from .factories import case_with_parties


@pytest.mark.django_db(transaction=True)
def test_notify_alert_open_evidence_and_paper_fallback(client, settings, tmp_path):
    settings.MAILERS = {
        "default": {"BACKEND": "eservices.core.mail.FolderEmailBackend", "OPTIONS": {"file_path": str(tmp_path)}}
    }
    case_file, clerk, person, lawyer, document = case_with_parties()
    parties = {party.user_id: party.pk for party in case_file.parties.all()}
    log_in(client, clerk)
    client.post(
        f"/fr/backoffice/mailbox/send/{case_file.pk}/",
        {
            "addressees": [parties[person.pk], parties[lawyer.pk]],
            "kind": "notification",
            "subject": "Décision du fonctionnaire dirigeant",
            "documents": [document.pk],
            "time_limit_months": 1,
            "time_limit_days": 0,
        },
    )
    dispatch = Dispatch.objects.get()
    client.post(f"/fr/backoffice/mailbox/dispatches/{dispatch.pk}/send/")

    mails = [email.message_from_bytes(path.read_bytes()) for path in sorted(tmp_path.glob("*.eml"))]
    assert sorted(mail["To"] for mail in mails) == sorted([person.email, lawyer.email])
    assert all("Décision" not in mail.as_string() and case_file.reference not in mail.as_string() for mail in mails)

    opened, ignored = Message.objects.get(mailbox__user=person), Message.objects.get(mailbox__user=lawyer)
    client.logout()
    log_in(client, person)
    page = client.get(f"/fr/mailbox/{opened.mailbox_id}/messages/{opened.pk}/").content.decode()
    opened.refresh_from_db()
    with translation.override("fr"):
        assert date_format(opened.deadline, "l j F Y") in page  # the time limit runs from the opening
    assert "Ouvert" in page and "Alerte e-mail envoyée" in page and "Mis à disposition" in page

    services.run_jobs(ignored.not_opened_after)
    client.logout()
    log_in(client, clerk)
    staff_page = client.get(f"/fr/backoffice/mailbox/messages/{opened.pk}/").content.decode()
    assert staff_page.count(str(person)) >= 2  # the addressee, and who opened it in the evidence
    fallback = client.get("/fr/backoffice/mailbox/paper-fallback/")
    assert [message.pk for message in fallback.context["sent_messages"]] == [ignored.pk]
