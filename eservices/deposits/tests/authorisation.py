"""Deposits: a deposit and its proof exist for their depositor only (404 for everyone else, staff included, on
the portal); in the back office, for the staff of the addressee unit; anyone may verify a proof."""

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


def build_world(world):
    from eservices.deposits.tests.factories import make_deposit

    world.deposit = make_deposit(world.concerned_user, world.case_file)


def deposit(world):
    return {"number": world.deposit.number}


def deposit_file(world):
    return {"number": world.deposit.number, "position": 1}


DEPOSITOR_ONLY = expect(NOT_FOUND, anonymous=LOGIN, person_with_grant=OK)
UNIT_STAFF = expect(OK, anonymous=LOGIN, persons=FORBIDDEN, staff_other_unit=NOT_FOUND)
POST_ONLY = expect(METHOD_NOT_ALLOWED, anonymous=LOGIN, persons=FORBIDDEN)
UNIT_STAFF_POST = expect(REDIRECT, anonymous=LOGIN, persons=FORBIDDEN, staff_other_unit=NOT_FOUND)

ENTRIES = {
    "portal:deposit_list": Entry(expect=expect(OK, anonymous=LOGIN)),
    # Anyone logged in may deposit (no access to the case file is needed).
    "portal:deposit_new": Entry(
        expect=expect(OK, anonymous=LOGIN),
        post=Post(
            data=lambda world: {
                "case_file_reference": world.case_file.reference,
                "unit": world.unit.pk,
                "capacity": "concerned_person",
                "idempotency_key": "matrix",
                "files": new_pdf(),
            },
            expect=expect(REDIRECT, anonymous=LOGIN),
            rightful="person_with_grant",
        ),
    ),
    "portal:deposit_detail": Entry(kwargs=deposit, expect=DEPOSITOR_ONLY),
    "portal:deposit_receipt": Entry(kwargs=deposit, expect=DEPOSITOR_ONLY),
    "portal:verify": Entry(expect=expect(OK)),
    "portal:verify_email": Entry(expect=expect(OK)),
    "backoffice:deposit_queue": Entry(expect=expect(OK, anonymous=LOGIN, persons=FORBIDDEN)),
    "backoffice:deposit_detail": Entry(kwargs=deposit, expect=UNIT_STAFF),
    "backoffice:deposit_file": Entry(kwargs=deposit_file, expect=UNIT_STAFF),
    "backoffice:deposit_evidence": Entry(kwargs=deposit, expect=UNIT_STAFF),
    "backoffice:deposit_acknowledge": Entry(
        kwargs=deposit,
        expect=POST_ONLY,
        mutating=True,
        post=Post(data=lambda world: {}, expect=UNIT_STAFF_POST, rightful="staff_unit"),
    ),
    "backoffice:deposit_attach": Entry(
        kwargs=deposit_file,
        expect=POST_ONLY,
        mutating=True,
        post=Post(data=lambda world: {"kind": "exhibit"}, expect=UNIT_STAFF_POST, rightful="staff_unit"),
    ),
}
