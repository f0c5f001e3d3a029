"""The guide, the statements and the contact page are public; a screenshot outside the journeys' list is 404."""

from eservices.core.tests.authorisation import NOT_FOUND, OK, Entry, expect

ENTRIES = {
    "pages:guide": Entry(expect=expect(OK)),
    "pages:guide_page": Entry(kwargs={"slug": "deposit"}, expect=expect(OK)),
    # Only the names the browser journeys make are served (and only once they exist): anything else is 404.
    "pages:screenshot": Entry(kwargs={"name": "settings.png"}, expect=expect(NOT_FOUND)),
    "pages:contact": Entry(expect=expect(OK)),
    "pages:statement": Entry(kwargs={"slug": "privacy"}, expect=expect(OK)),
}
