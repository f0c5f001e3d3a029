import datetime
import io

import factory

from eservices.casefiles import services
from eservices.casefiles.models import CaseFile, Document, Party
from eservices.demo.files import make_pdf
from eservices.identity.models import User
from eservices.units.tests.factories import StaffFactory, UnitFactory


class CaseFileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseFile

    unit = factory.SubFactory(UnitFactory)
    reference = factory.LazyAttributeSequence(lambda case_file, n: f"{case_file.unit.code}/2026/{n:06d}")
    kind = CaseFile.Kind.INVESTIGATION
    subject = factory.Faker("sentence", locale="fr_BE")
    language = "fr"
    opened_on = datetime.date(2026, 3, 2)


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    case_file = factory.SubFactory(CaseFileFactory)
    role = Party.Role.CONCERNED_PERSON
    display_name = factory.Faker("name", locale="fr_BE")


def registrar(unit):
    """A staff member of ``unit`` who adds what tests need (the case-file services refuse anyone else)."""
    username = f"registrar-{unit.code.lower()}"
    return User.objects.filter(username=username).first() or StaffFactory(username=username, unit=unit)


def add_pdf_document(case_file, title="Rapport", visibility=Document.Visibility.ALL_PARTIES, actor=None):
    """A real PDF document stored through the service, as staff of its unit would add it."""
    return services.add_document(
        actor=actor or registrar(case_file.unit),
        case_file=case_file,
        title=title,
        kind=Document.Kind.REPORT,
        document_date=datetime.date(2026, 3, 9),
        content=io.BytesIO(make_pdf(title)),
        filename=f"{title}.pdf",
        visibility=visibility,
    )
