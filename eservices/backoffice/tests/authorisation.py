"""The back office: 403 for anyone without a staff membership; objects of another unit are 404 for its staff;
POST-only URLs answer a GET with 405 once the reader is staff."""

from eservices.core.tests.authorisation import (
    FORBIDDEN,
    LOGIN,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    Entry,
    Post,
    expect,
    new_pdf,
)


def case_file(world):
    return {"case_file_id": world.case_file.pk}


def empty_case_file(world):
    """A case file opened by mistake (no document, no request): one that may be deleted."""
    from eservices.casefiles.tests.factories import CaseFileFactory

    return CaseFileFactory(unit=world.unit, reference="CPI/2026/0077")


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


def requested_representation(world):
    """A representation request waiting for a decision (the outsider's, for the world's company)."""
    from eservices.identity.models import Representation

    # get_or_create: a URL is built once per role, and a person asks once per company.
    return {"pk": Representation.objects.get_or_create(user=world.outsider, company=world.company)[0].pk}


def case_file_fields(world):
    return {
        "kind": "investigation",
        "subject": "Changed subject",
        "language": "fr",
        "status": "open",
        "opened_on": "2026-03-02",
    }


def notice(world):
    from eservices.pages.models import Notice

    return Notice.objects.create(kind=Notice.Kind.OUTAGE, text_fr="Panne", text_nl="Storing")


ANY_STAFF = expect(OK, anonymous=LOGIN, persons=FORBIDDEN)
# A valid POST: staff of the unit succeed (and are sent on), staff of another unit find nothing, citizens are refused.
UNIT_STAFF_POST = expect(REDIRECT, anonymous=LOGIN, persons=FORBIDDEN, staff_other_unit=NOT_FOUND)
DECIDERS = {"unit_lead": OK, "administrator": OK}  # representation requests: identity.services.REPRESENTATION_DECIDERS
UNIT_STAFF = expect(OK, anonymous=LOGIN, persons=FORBIDDEN, staff_other_unit=NOT_FOUND)
POST_ONLY = expect(METHOD_NOT_ALLOWED, anonymous=LOGIN, persons=FORBIDDEN)

ENTRIES = {
    "backoffice:dashboard": Entry(expect=ANY_STAFF),
    "backoffice:case_files": Entry(expect=ANY_STAFF),
    "backoffice:case_file_create": Entry(
        expect=ANY_STAFF,
        post=Post(
            data=lambda world: {**case_file_fields(world), "unit": world.unit.pk, "reference": "CPI/2026/0099"},
            # Staff of another unit cannot choose this unit: the form says so (200), nothing is created.
            expect=expect(REDIRECT, anonymous=LOGIN, persons=FORBIDDEN, staff_other_unit=OK),
            rightful="staff_unit",
        ),
    ),
    "backoffice:case_file": Entry(kwargs=case_file, expect=UNIT_STAFF),
    "backoffice:case_file_edit": Entry(
        kwargs=case_file,
        expect=UNIT_STAFF,
        post=Post(data=case_file_fields, expect=UNIT_STAFF_POST, rightful="staff_unit"),
    ),
    "backoffice:case_file_delete": Entry(
        kwargs=lambda world: {"case_file_id": empty_case_file(world).pk},
        expect=UNIT_STAFF,
        post=Post(data=lambda world: {}, expect=UNIT_STAFF_POST, rightful="staff_unit"),
    ),
    "backoffice:case_file_history": Entry(kwargs=case_file, expect=UNIT_STAFF),
    "backoffice:download_all": Entry(kwargs=case_file, expect=UNIT_STAFF),
    "backoffice:party_add": Entry(
        kwargs=case_file,
        expect=POST_ONLY,
        mutating=True,
        post=Post(
            data=lambda world: {"role": "authorised_third_party", "display_name": "Heir"},
            expect=UNIT_STAFF_POST,
            rightful="staff_unit",
        ),
    ),
    "backoffice:document_add": Entry(
        kwargs=case_file,
        expect=POST_ONLY,
        mutating=True,
        post=Post(
            data=lambda world: {
                "title": "Pièce",
                "kind": "report",
                "document_date": "2026-03-09",
                "visibility": "all_parties",
                "file": new_pdf(),
            },
            expect=UNIT_STAFF_POST,
            rightful="staff_unit",
        ),
    ),
    "backoffice:case_file_legal_hold": Entry(
        kwargs=case_file,
        expect=POST_ONLY,
        mutating=True,
        post=Post(data=lambda world: {"reason": "Appeal pending"}, expect=UNIT_STAFF_POST, rightful="staff_unit"),
    ),
    "backoffice:document_visibility": Entry(
        kwargs=secret_document,
        expect=UNIT_STAFF,
        post=Post(data=lambda world: {"visibility": "all_parties"}, expect=UNIT_STAFF_POST, rightful="staff_unit"),
    ),
    "backoffice:download": Entry(kwargs=secret_document, expect=UNIT_STAFF),
    "backoffice:grant_revoke": Entry(
        kwargs=lambda world: {"grant_id": world.lawyer_grant.pk},
        expect=POST_ONLY,
        mutating=True,
        post=Post(data=lambda world: {"reason": "Mandate ended"}, expect=UNIT_STAFF_POST, rightful="staff_unit"),
    ),
    "backoffice:access_requests": Entry(expect=ANY_STAFF),
    "backoffice:access_request": Entry(
        kwargs=lambda world: {"request_id": access_request(world).pk},
        expect=UNIT_STAFF,
        post=Post(
            data=lambda world: {"action": "grant", "scope": "whole"}, expect=UNIT_STAFF_POST, rightful="staff_unit"
        ),
    ),
    "backoffice:supporting_document": Entry(kwargs=supporting_document, expect=UNIT_STAFF),
    # Representations: unit leads and functional administrators decide (never their own request, issue 11); the
    # supporting document exists only when one was sent.
    "backoffice:representations": Entry(expect=expect(FORBIDDEN, anonymous=LOGIN, **DECIDERS)),
    "backoffice:decide_representation": Entry(
        kwargs=requested_representation,
        expect=expect(FORBIDDEN, anonymous=LOGIN, unit_lead=METHOD_NOT_ALLOWED, administrator=METHOD_NOT_ALLOWED),
        mutating=True,
        post=Post(
            data=lambda world: {"decision": "confirm"},
            expect=expect(FORBIDDEN, anonymous=LOGIN, unit_lead=REDIRECT, administrator=REDIRECT),
            rightful="unit_lead",
        ),
    ),
    "backoffice:representation_document": Entry(
        kwargs=representation,
        expect=expect(FORBIDDEN, anonymous=LOGIN, unit_lead=NOT_FOUND, administrator=NOT_FOUND),
    ),
    # Staff memberships: functional administrators only.
    "backoffice:memberships": Entry(
        expect=expect(FORBIDDEN, anonymous=LOGIN, administrator=OK),
        post=Post(
            data=lambda world: {"username": world.outsider.username, "unit": world.unit.pk, "role": "agent"},
            expect=expect(FORBIDDEN, anonymous=LOGIN, administrator=REDIRECT),
            rightful="administrator",
        ),
    ),
    "backoffice:change_membership": Entry(
        kwargs=lambda world: {"pk": world.clerk.memberships.get().pk},
        expect=expect(FORBIDDEN, anonymous=LOGIN, administrator=METHOD_NOT_ALLOWED),
        mutating=True,
        post=Post(
            data=lambda world: {"action": "role", "role": "unit_lead"},
            expect=expect(FORBIDDEN, anonymous=LOGIN, administrator=REDIRECT),
            rightful="administrator",
        ),
    ),
    # The home page's notices and the contact details: functional administrators only (pages.services checks too).
    "backoffice:site_notices": Entry(expect=expect(FORBIDDEN, anonymous=LOGIN, administrator=OK)),
    "backoffice:site_withdraw_notice": Entry(
        kwargs=lambda world: {"notice_id": notice(world).pk},
        expect=expect(FORBIDDEN, anonymous=LOGIN, administrator=METHOD_NOT_ALLOWED),
        mutating=True,
        post=Post(
            data=lambda world: {},
            expect=expect(FORBIDDEN, anonymous=LOGIN, administrator=REDIRECT),
            rightful="administrator",
        ),
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
