"""Evidence bundles of a message and of a deposit: sealed, time-stamped, in the addressee's language, verifiable
by verify_receipt without the portal; one changed byte fails."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command

from eservices.casefiles.tests.factories import CaseFileFactory
from eservices.deposits.tests.factories import make_deposit
from eservices.evidence import bundles, services
from eservices.evidence.tests.test_receipts import pdf_text
from eservices.identity.tests.factories import UserFactory
from eservices.mailbox import services as mailbox
from eservices.mailbox.tests.factories import case_with_parties, send

pytestmark = pytest.mark.django_db


def verify(path):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_receipt", str(path), stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue() + err.getvalue()
    return 0, out.getvalue()


def opened_message():
    case_file, clerk, person, _lawyer, document = case_with_parties()  # the person reads Dutch
    (message,) = send(clerk, case_file, [mailbox.mailbox_of_user(person)], documents=[document])
    mailbox.open_message(actor=person, message=message)
    return message, document


def test_a_messages_bundle_holds_its_documents_and_events_and_verifies(tmp_path):
    message, document = opened_message()
    out = tmp_path / "evidence"
    call_command("export_evidence", "--message", str(message.pk), "--out", str(out), stdout=io.StringIO())
    data = (out / "evidence-bundle.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        facts = json.loads(archive.read("evidence.json"))
        names = archive.namelist()
        summary = archive.read("summary.pdf")
    assert [entry["event"] for entry in facts["events"]] == ["made_available", "opened"]
    assert facts["events"][1]["actor"] and facts["files"][0]["sha256"] == document.sha256
    assert any(name.startswith("documents/01-") for name in names)
    text = " ".join(pdf_text(summary).split())
    assert "Geopend" in text or "geopend" in text  # the addressee's language (nl)
    code, output = verify(out / "evidence-bundle.zip")
    assert code == 0, output
    assert "PAdES B-LTA" in output and "opened" in output


def test_one_changed_byte_of_a_bundle_fails(tmp_path):
    message, _document = opened_message()
    data = mailbox.evidence_bundle(message)
    assert services.verify_bundle(data).ok
    # A changed document inside a well-formed ZIP: the summary no longer lists it.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    (document_name,) = [name for name in entries if name.startswith("documents/")]
    changed = bytearray(entries[document_name])
    changed[len(changed) // 2] ^= 1
    entries[document_name] = bytes(changed)
    repacked = io.BytesIO()
    with zipfile.ZipFile(repacked, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    result = services.verify_bundle(repacked.getvalue())
    assert not result.ok and {"file", "complete"} <= {check.name for check in result.failed}
    # Any single byte of the ZIP itself.
    for index in (len(data) // 3, len(data) // 2, len(data) - 30):
        flipped = bytearray(data)
        flipped[index] ^= 1
        (tmp_path / "bundle.zip").write_bytes(bytes(flipped))
        code, output = verify(tmp_path / "bundle.zip")
        assert code == 1, (index, output)


def test_a_deposits_bundle_holds_the_receipt_and_the_files(tmp_path):
    deposit = make_deposit(UserFactory(preferred_language="fr"), CaseFileFactory())
    out = tmp_path / "evidence"
    call_command("export_evidence", deposit.number, "--out", str(out), stdout=io.StringIO())
    code, output = verify(out / "evidence-bundle.zip")
    assert code == 0, output
    with zipfile.ZipFile(out / "evidence-bundle.zip") as archive:
        facts = json.loads(archive.read(bundles.JSON_NAME))
    assert facts["subject"] == {
        "kind": "deposit",
        "reference": deposit.number,
        "received_at": facts["subject"]["received_at"],
    }
    assert facts["files"][0]["name"].startswith("proof-of-deposit-") and len(facts["files"]) == 3
    assert facts["events"][0]["event"] == "submission_accepted"


def test_staff_of_the_unit_download_a_messages_evidence_from_the_back_office_and_it_is_recorded(client, tmp_path):
    from conftest import log_in
    from eservices.audit.models import AuditEvent

    message, _document = opened_message()
    clerk = message.sent_by
    log_in(client, clerk)
    page = client.get(f"/fr/backoffice/mailbox/messages/{message.pk}/").content.decode()
    assert f"/fr/backoffice/mailbox/messages/{message.pk}/evidence.zip" in page
    response = client.get(f"/fr/backoffice/mailbox/messages/{message.pk}/evidence.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert services.verify_bundle(response.content).ok
    assert AuditEvent.objects.filter(action="mailbox.evidence_exported", actor=clerk).count() == 1
