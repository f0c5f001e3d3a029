from eservices.core.tests.authorisation import OK, Entry, expect

ENTRIES = {
    "identity:login": Entry(expect=expect(OK)),
}
