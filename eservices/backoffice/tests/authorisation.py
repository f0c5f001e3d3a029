"""The back office: 403 for anyone without a staff membership; objects of another unit are 404 for its staff;
POST-only URLs answer a GET with 405 once the reader is staff."""

from eservices.core.tests.authorisation import FORBIDDEN, LOGIN, METHOD_NOT_ALLOWED, NOT_FOUND, OK, Entry, expect


def case_file(world):
    return {"case_file_id": world.case_file.pk}


def secret_document(world):
    return {"document_id": world.secret.pk}


def access_request(world, files=()):
    from eservices.access import services
    from eservices.identity.models import Capacity

    return services.submit_request(
        actor=world.outsider, reference="CPI/2026/0042", capacity=Capacity.LAWYER, acting_for="X", files=files
    )


def representation(world):
    from eservices.identity.models import Representation

    return {"pk": Representation.objects.get(user=world.representative).pk}


def supporting_document(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from eservices.demo.files import make_pdf

    upload = SimpleUploadedFile("mandat.pdf", make_pdf("Mandat"), content_type="application/pdf")
    submitted = access_request(world, files=[upload])
    return {"request_id": submitted.pk, "document_id": submitted.supporting_documents.get().pk}


def notice(world):
    from eservices.pages.models import Notice

    return Notice.objects.create(kind=Notice.Kind.OUTAGE, text_fr="Panne", text_nl="Storing")


ANY_STAFF = expect(OK, anonymous=LOGIN, persons=FORBIDDEN)
UNIT_STAFF = expect(OK, anonymous=LOGIN, persons=FORBIDDEN, staff_other_unit=NOT_FOUND)
POST_ONLY = expect(METHOD_NOT_ALLOWED, anonymous=LOGIN, persons=FORBIDDEN)

ENTRIES = {
    "backoffice:dashboard": Entry(expect=ANY_STAFF),
    "backoffice:case_files": Entry(expect=ANY_STAFF),
    "backoffice:case_file_create": Entry(expect=ANY_STAFF),
    "backoffice:case_file": Entry(kwargs=case_file, expect=UNIT_STAFF),
    "backoffice:case_file_edit": Entry(kwargs=case_file, expect=UNIT_STAFF),
    "backoffice:case_file_delete": Entry(kwargs=case_file, expect=UNIT_STAFF),
    "backoffice:case_file_history": Entry(kwargs=case_file, expect=UNIT_STAFF),
    "backoffice:download_all": Entry(kwargs=case_file, expect=UNIT_STAFF),
    "backoffice:party_add": Entry(kwargs=case_file, expect=POST_ONLY, mutating=True),
    "backoffice:document_add": Entry(kwargs=case_file, expect=POST_ONLY, mutating=True),
    "backoffice:document_visibility": Entry(kwargs=secret_document, expect=UNIT_STAFF),
    "backoffice:download": Entry(kwargs=secret_document, expect=UNIT_STAFF),
    "backoffice:grant_revoke": Entry(
        kwargs=lambda world: {"grant_id": world.lawyer_grant.pk}, expect=POST_ONLY, mutating=True
    ),
    "backoffice:access_requests": Entry(expect=ANY_STAFF),
    "backoffice:access_request": Entry(
        kwargs=lambda world: {"request_id": access_request(world).pk}, expect=UNIT_STAFF
    ),
    "backoffice:supporting_document": Entry(kwargs=supporting_document, expect=UNIT_STAFF),
    # Representations (issue 3): any staff member decides; the supporting document exists only when one was sent.
    "backoffice:representations": Entry(expect=ANY_STAFF),
    "backoffice:decide_representation": Entry(kwargs=representation, expect=POST_ONLY, mutating=True),
    "backoffice:representation_document": Entry(
        kwargs=representation, expect=expect(NOT_FOUND, anonymous=LOGIN, persons=FORBIDDEN)
    ),
    # Staff memberships: functional administrators only.
    "backoffice:memberships": Entry(expect=expect(FORBIDDEN, anonymous=LOGIN, administrator=OK)),
    "backoffice:change_membership": Entry(
        kwargs=lambda world: {"pk": world.clerk.memberships.get().pk},
        expect=expect(FORBIDDEN, anonymous=LOGIN, administrator=METHOD_NOT_ALLOWED),
        mutating=True,
    ),
    # The home page's notices and the contact details: functional administrators only (pages.services checks too).
    "backoffice:site_notices": Entry(expect=expect(FORBIDDEN, anonymous=LOGIN, administrator=OK)),
    "backoffice:site_withdraw_notice": Entry(
        kwargs=lambda world: {"notice_id": notice(world).pk},
        expect=expect(FORBIDDEN, anonymous=LOGIN, administrator=METHOD_NOT_ALLOWED),
        mutating=True,
    ),
    "backoffice:site_contacts": Entry(expect=expect(FORBIDDEN, anonymous=LOGIN, administrator=OK)),
    "backoffice:site_contact_edit": Entry(
        kwargs=lambda world: {"unit_id": world.unit.pk}, expect=expect(FORBIDDEN, anonymous=LOGIN, administrator=OK)
    ),
    # The trail: unit leads (their unit's events) and functional administrators (all of it).
    "backoffice:audit_trail": Entry(expect=expect(FORBIDDEN, anonymous=LOGIN, unit_lead=OK, administrator=OK)),
    "backoffice:audit_export": Entry(
        kwargs={"fmt": "csv"}, expect=expect(FORBIDDEN, anonymous=LOGIN, unit_lead=OK, administrator=OK)
    ),
}
