from eservices.core.tests.authorisation import OK, Entry, expect

ENTRIES = {
    "portal:home": Entry(expect=expect(OK)),
}
