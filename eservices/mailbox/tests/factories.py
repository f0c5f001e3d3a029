"""Helpers that send real messages through the services, as staff would."""

from eservices.casefiles.models import Party
from eservices.casefiles.tests.factories import CaseFileFactory, PartyFactory, add_pdf_document
from eservices.identity.models import Representation
from eservices.identity.tests.factories import CompanyFactory, UserFactory
from eservices.mailbox import services
from eservices.mailbox.models import MessageKind
from eservices.units.tests.factories import StaffFactory, UnitFactory


def case_with_parties(unit=None):
    """A case file with a concerned person and their lawyer (both with accounts), a document and a clerk."""
    unit = unit or UnitFactory(code="SECM")
    clerk = StaffFactory(unit=unit)
    case_file = CaseFileFactory(unit=unit)
    person = UserFactory(preferred_language="nl")
    lawyer = UserFactory(preferred_language="fr")
    concerned = PartyFactory(case_file=case_file, user=person, display_name=str(person))
    PartyFactory(
        case_file=case_file, user=lawyer, role=Party.Role.LAWYER, display_name=str(lawyer), represents=concerned
    )
    document = add_pdf_document(case_file, title="Décision", actor=clerk)
    return case_file, clerk, person, lawyer, document


def company_with_representative(status=Representation.Status.CONFIRMED):
    company = CompanyFactory()
    representative = UserFactory()
    Representation.objects.create(user=representative, company=company, status=status)
    return company, representative


def prepare(clerk, case_file, mailboxes, *, kind=MessageKind.NOTIFICATION, subject="Décision", documents=(), **kwargs):
    return services.prepare_dispatch(
        actor=clerk,
        case_file=case_file,
        kind=kind,
        subject=subject,
        text="Veuillez trouver la décision ci-jointe.",
        addressees=mailboxes,
        documents=documents,
        **kwargs,
    )


def send(clerk, case_file, mailboxes, **kwargs):
    """Prepare and send a dispatch; its messages, one per mailbox."""
    return services.send_dispatch(actor=clerk, dispatch=prepare(clerk, case_file, mailboxes, **kwargs))
