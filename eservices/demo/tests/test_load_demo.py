import pytest
from django.core.management import call_command

from eservices.access.models import AccessGrant, AccessRequest
from eservices.casefiles.models import CaseFile, Document, Party
from eservices.deposits.models import Deposit, DepositFile
from eservices.evidence.models import DepositReceipt
from eservices.identity.models import User
from eservices.pages.models import ContactDetails
from eservices.units.models import StaffMembership, Unit


def counts():
    models = (Unit, User, StaffMembership, CaseFile, Party, Document, AccessRequest, AccessGrant)
    models += (Deposit, DepositFile, DepositReceipt, ContactDetails)
    return [model.objects.count() for model in models]


@pytest.mark.django_db
def test_demo_data_is_complete_and_idempotent():
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert Unit.objects.count() == 4
    assert ContactDetails.objects.exclude(phone="").count() == 4  # the contact page has every unit's details
    assert User.objects.filter(memberships__isnull=True).count() >= 20
    assert CaseFile.objects.count() >= 20
    assert set(CaseFile.objects.values_list("language", flat=True)) >= {"fr", "nl"}
    assert len(set(CaseFile.objects.values_list("status", flat=True))) >= 3
    media_types = set(Document.objects.values_list("media_type", flat=True))
    assert "application/pdf" in media_types
    assert "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" in media_types
    states = set(AccessRequest.objects.values_list("state", flat=True))
    assert states >= {"requested", "more_information_requested", "granted", "refused"}
    assert AccessRequest.objects.filter(requester__username="me.rousseau", state="requested").exists()
    assert AccessRequest.objects.filter(unit__code="CPI", state="requested").exists()  # greffier.cpi's queue
    assert Deposit.objects.count() >= 4
    assert DepositReceipt.objects.filter(status="signed").count() == Deposit.objects.count()
    assert Deposit.objects.filter(state="acknowledged").exists()
