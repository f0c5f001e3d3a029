from eservices.core.tests.authorisation import FORBIDDEN, LOGIN, OK, Entry, expect

ENTRIES = {
    "backoffice:dashboard": Entry(expect=expect(anonymous=LOGIN, persons=FORBIDDEN, staff=OK)),
    # The trail: unit leads (their unit's events) and functional administrators (all of it).
    "backoffice:audit_trail": Entry(
        expect=expect(FORBIDDEN, anonymous=LOGIN, unit_lead=OK, administrator=OK),
    ),
    "backoffice:audit_export": Entry(
        kwargs={"fmt": "csv"},
        expect=expect(FORBIDDEN, anonymous=LOGIN, unit_lead=OK, administrator=OK),
    ),
}
