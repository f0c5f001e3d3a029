"""The operator's status page: functional administrators only (read only, GET)."""

from eservices.core.tests.authorisation import FORBIDDEN, LOGIN, OK, Entry, expect

ENTRIES = {
    "operations:status": Entry(expect=expect(FORBIDDEN, anonymous=LOGIN, administrator=OK)),
}
