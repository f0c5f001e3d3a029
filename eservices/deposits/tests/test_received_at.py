"""The moment of a deposit is when the portal received its last byte, before the type checks and the virus scan;
the receipt states it, and the acceptance time when later (docs/deadlines.md). Tested across midnight."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.test import RequestFactory

from eservices.casefiles.tests.factories import CaseFileFactory
from eservices.deposits import services
from eservices.deposits.tests.factories import pdf_upload
from eservices.evidence.services import verify_receipt
from eservices.evidence.tests.test_receipts import pdf_text
from eservices.identity.models import Capacity
from eservices.identity.tests.factories import UserFactory
from eservices.intake import uploads
from eservices.intake.uploads import LimitedUploadHandler

pytestmark = pytest.mark.django_db
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
LAST_BYTE = datetime.datetime(2026, 3, 19, 23, 59, 30, tzinfo=BRUSSELS)  # the last day of a time limit
SCANNED = datetime.datetime(2026, 3, 20, 0, 0, 40, tzinfo=BRUSSELS)  # the checks end after midnight


def test_the_upload_handler_notes_when_the_last_byte_arrived():
    upload = pdf_upload()
    request = RequestFactory().post("/fr/deposits/new/", {"files": upload})
    request.upload_handlers = [LimitedUploadHandler(request)]
    with time_machine.travel(LAST_BYTE, tick=False):
        assert request.FILES["files"].name == "Conclusions.pdf"  # reads the body
    with time_machine.travel(SCANNED, tick=False):
        assert uploads.received_at(request) == LAST_BYTE


def test_a_deposit_complete_before_midnight_is_dated_that_day_even_when_accepted_after():
    person, case_file = UserFactory(preferred_language="en"), CaseFileFactory(language="nl")
    with time_machine.travel(SCANNED, tick=False):
        result = services.submit(
            actor=person,
            capacity=Capacity.LAWYER,
            case_file_reference=case_file.reference,
            unit=case_file.unit,
            message="",
            files=[pdf_upload()],
            idempotency_key="midnight",
            received_at=LAST_BYTE,
        )
    deposit = result.deposit
    assert deposit.received_at == LAST_BYTE
    assert deposit.accepted_at == SCANNED
    receipt = services.receipt_of(deposit)
    pdf = receipt.pdf.read()
    verified = verify_receipt(pdf)
    assert verified.facts["received_at"] == "2026-03-19T23:59:30+01:00"
    assert verified.facts["accepted_at"] == "2026-03-20T00:00:40+01:00"
    text = " ".join(pdf_text(pdf).split())
    assert "2026-03-19 23:59:30 (Europe/Brussels) = 2026-03-19 22:59:30 UTC" in text
    assert "2026-03-20 00:00:40 (Europe/Brussels)" in text
    # A Dutch procedure, a person who reads English: Dutch first, then English.
    assert (receipt.language, receipt.second_language) == ("nl", "en")
    assert text.index("geavanceerd elektronisch zegel") < text.index("advanced electronic seal")
