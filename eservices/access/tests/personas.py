"""One case file and everyone around it, for the access rules: each test names the persona it is about.

``world`` holds: a unit (CPI) and another unit (SECM); a case file of the unit with a concerned person, a
concerned company and a lawyer; four documents (all parties, staff only, some parties, staff only and
confidential even in existence); the unit's clerk, the other unit's staff member, and citizens with and
without grants.
"""

import datetime
from types import SimpleNamespace

from django.utils import timezone

from eservices.access.models import AccessGrant
from eservices.casefiles import services as casefile_services
from eservices.casefiles.models import Document, Party
from eservices.casefiles.tests.factories import CaseFileFactory, add_pdf_document, registrar
from eservices.identity.models import Capacity, Representation
from eservices.identity.tests.factories import CompanyFactory, UserFactory
from eservices.units.models import StaffRole, Unit
from eservices.units.tests.factories import StaffFactory, UnitFactory


def grant(user, case_file, capacity=Capacity.CONCERNED_PERSON, **fields):
    documents = fields.pop("documents", ())
    access_grant = AccessGrant.objects.create(user=user, case_file=case_file, capacity=capacity, **fields)
    if documents:
        access_grant.documents.set(documents)
    return access_grant


def build_world():
    unit = UnitFactory(code="CPI", kind=Unit.Kind.REGISTRY, name_fr="Greffe CPI", name_nl="Griffie KEA")
    other_unit = UnitFactory(code="SECM", name_fr="SECM", name_nl="DGEC")
    case_file = CaseFileFactory(unit=unit, reference="CPI/2026/0042")
    other_case_file = CaseFileFactory(unit=other_unit, reference="SECM/2026/000001")
    concerned_user = UserFactory(username="concerned", email="concerned@example.org", preferred_language="nl")
    lawyer_user = UserFactory(username="lawyer", email="lawyer@example.org")
    representative = UserFactory(username="representative")
    company = CompanyFactory()
    Representation.objects.create(
        user=representative, company=company, status=Representation.Status.CONFIRMED, decided_at=timezone.now()
    )
    concerned = casefile_services.add_party(
        actor=registrar(unit),
        case_file=case_file,
        role=Party.Role.CONCERNED_PERSON,
        display_name="Dr Concerned",
        user=concerned_user,
    )
    concerned_company = casefile_services.add_party(
        actor=registrar(unit),
        case_file=case_file,
        role=Party.Role.CONCERNED_COMPANY,
        display_name=company.name,
        company=company,
    )
    lawyer = casefile_services.add_party(
        actor=registrar(unit),
        case_file=case_file,
        role=Party.Role.LAWYER,
        display_name="Me Lawyer",
        user=lawyer_user,
        represents=concerned,
    )
    public = add_pdf_document(case_file, title="Public report")
    staff_only = add_pdf_document(case_file, title="Internal note", visibility=Document.Visibility.STAFF_ONLY)
    staff_only.withheld_reason = "Ongoing investigation"
    staff_only.save()
    for_concerned = add_pdf_document(case_file, title="Medical report", visibility=Document.Visibility.SOME_PARTIES)
    for_concerned.visible_to.set([concerned])
    secret = add_pdf_document(case_file, title="Secret annex", visibility=Document.Visibility.STAFF_ONLY)
    secret.confidential_existence = True
    secret.save()
    other_document = add_pdf_document(other_case_file, title="Other unit's report")
    clerk = StaffFactory(username="clerk", unit=unit, unit__role=StaffRole.REGISTRY_CLERK)
    other_staff = StaffFactory(username="other_staff", unit=other_unit)
    return SimpleNamespace(
        unit=unit,
        other_unit=other_unit,
        case_file=case_file,
        other_case_file=other_case_file,
        company=company,
        concerned=concerned,
        concerned_company=concerned_company,
        lawyer=lawyer,
        public=public,
        staff_only=staff_only,
        for_concerned=for_concerned,
        secret=secret,
        other_document=other_document,
        clerk=clerk,
        other_staff=other_staff,
        concerned_user=concerned_user,
        concerned_grant=grant(concerned_user, case_file, party=concerned),
        lawyer_user=lawyer_user,
        lawyer_grant=grant(lawyer_user, case_file, Capacity.LAWYER, party=lawyer, acting_for="Dr Concerned"),
        representative=representative,
        representative_grant=grant(
            representative,
            case_file,
            Capacity.COMPANY_REPRESENTATIVE,
            party=concerned_company,
            company=company,
            documents=[public],
            scope=AccessGrant.Scope.CHOSEN,
        ),
        outsider=UserFactory(username="outsider"),
        yesterday=timezone.localdate() - datetime.timedelta(days=1),
    )
