"""The citizen screens: everyone logged in has "Mes dossiers" and their requests; a case file, its
consultations and its documents exist only for those its grants (or the owning unit) let see them: 404 for
everyone else, as for an id that does not exist."""

from eservices.core.tests.authorisation import (
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


def access_request_of_the_outsider(world):
    from eservices.access import services
    from eservices.identity.models import Capacity

    access_request = services.submit_request(
        actor=world.outsider, reference="CPI/2026/0042", capacity=Capacity.LAWYER, acting_for="X"
    )
    return {"request_id": access_request.pk}


def case_file(world):
    return {"case_file_id": world.case_file.pk}


GRANTED = expect(
    NOT_FOUND, anonymous=LOGIN, person_with_grant=OK, company_representative=OK, lawyer=OK, staff_unit=OK,
    unit_lead=OK, administrator=OK,
)  # fmt: skip

ENTRIES = {
    "portal:home": Entry(expect=expect(OK)),
    "portal:case_files": Entry(expect=expect(OK, anonymous=LOGIN)),
    "portal:case_file": Entry(kwargs=case_file, expect=GRANTED),
    "portal:consultations": Entry(kwargs=case_file, expect=GRANTED),
    "portal:download_all": Entry(kwargs=case_file, expect=GRANTED),
    # A document shown to the concerned person only: the representative's grant covers chosen documents only.
    "portal:download": Entry(
        kwargs=lambda world: {"document_id": world.for_concerned.pk},
        expect={**GRANTED, "company_representative": NOT_FOUND},
    ),
    "portal:access_requests": Entry(expect=expect(OK, anonymous=LOGIN)),
    "portal:request_access": Entry(
        expect=expect(OK, anonymous=LOGIN),
        post=Post(
            data=lambda world: {"reference": "CPI/2026/0042", "capacity": "concerned_person", "files": new_pdf()},
            expect=expect(REDIRECT, anonymous=LOGIN),
            rightful="person",
        ),
    ),
    # A request exists for its requester only.
    "portal:access_request": Entry(
        kwargs=access_request_of_the_outsider, expect=expect(NOT_FOUND, anonymous=LOGIN, person=OK)
    ),
    # Everyone logged in has their own data: the export is a POST (a GET is 405 once logged in).
    "portal:my_data": Entry(expect=expect(OK, anonymous=LOGIN)),
    "portal:my_data_page": Entry(expect=expect(OK, anonymous=LOGIN)),
    "portal:my_data_export": Entry(
        expect=expect(METHOD_NOT_ALLOWED, anonymous=LOGIN),
        mutating=True,
        post=Post(data=lambda world: {}, expect=expect(OK, anonymous=LOGIN), rightful="person_with_grant"),
    ),
}
