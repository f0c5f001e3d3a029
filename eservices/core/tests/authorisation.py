"""The authorisation matrix: for every URL of the project, what each role gets.

Each app lists its URLs in ``eservices/<app>/tests/authorisation.py`` as ``ENTRIES = {"namespace:name": Entry(...)}``
(unnamed patterns: ``"namespace:full/route/"``), and may add what its URLs need to the shared world with a
``build_world(world)`` function (an access grant for ``person_with_grant``, for instance).
``test_authorisation_matrix.py`` walks every pattern of the root URLconf, including the language-prefixed
ones: a URL without an entry, or an entry without a URL, fails the suite.
"""

import re
from dataclasses import dataclass, field
from typing import Any

from django.urls import LocalePrefixPattern, URLResolver, get_resolver, reverse
from django.utils import translation

ROLES = (
    "anonymous",
    "person",  # a citizen without any grant
    "person_with_grant",  # the concerned person of the unit's case file
    "company_representative",  # represents the concerned company of that case file
    "lawyer",  # lawyer of the concerned person
    "staff_other_unit",  # an agent of another unit
    "staff_unit",  # an agent of the unit that owns the case file
    "unit_lead",  # the lead of that unit
    "administrator",  # a functional administrator of that unit
)
PERSONS = ("person", "person_with_grant", "company_representative", "lawyer")
STAFF = ("staff_other_unit", "staff_unit", "unit_lead", "administrator")


@dataclass(frozen=True)
class Outcome:
    name: str
    status: int
    location: str = ""  # for redirects: a part the Location header must contain
    also: tuple = ()  # other statuses that count as this outcome

    def matches(self, response):
        if response.status_code in self.also:
            return True
        if response.status_code != self.status:
            return False
        return not self.location or self.location in response.get("Location", "")

    def __repr__(self):
        return self.name


OK = Outcome("OK", 200)
LOGIN = Outcome("LOGIN", 302, "/account/login/")
ADMIN_LOGIN = Outcome("ADMIN_LOGIN", 302, "/admin/login/")
REDIRECT = Outcome("REDIRECT", 302)
FORBIDDEN = Outcome("FORBIDDEN", 403)
NOT_FOUND = Outcome("NOT_FOUND", 404)
METHOD_NOT_ALLOWED = Outcome("METHOD_NOT_ALLOWED", 405)
# The REST API (eservices/api) knows bearer tokens only: a session, whoever's, is no credential there.
UNAUTHORIZED = Outcome("UNAUTHORIZED", 401)
# Sent to the identity provider, or told it cannot be reached (no provider runs at the tests' issuer).
TO_PROVIDER = Outcome("TO_PROVIDER", 302, also=(503,))


def expect(default=None, *, persons=None, staff=None, **roles):
    """Outcome per role: ``default`` for all, then ``persons``/``staff`` for those groups, then single roles."""
    outcomes = dict.fromkeys(ROLES, default)
    outcomes.update(dict.fromkeys(PERSONS, persons) if persons else {})
    outcomes.update(dict.fromkeys(STAFF, staff) if staff else {})
    outcomes.update(roles)
    missing = [role for role, outcome in outcomes.items() if outcome is None]
    assert not missing, f"no outcome for {missing}"
    return outcomes


def new_pdf(name="piece.pdf"):
    """A fresh PDF upload for a POST (an upload is read once)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from eservices.demo.files import make_pdf

    return SimpleUploadedFile(name, make_pdf("Pièce"), content_type="application/pdf")


# The outcomes of a refused POST: nothing may change (rows, audit events).
REFUSALS = (LOGIN, FORBIDDEN, NOT_FOUND, UNAUTHORIZED)


@dataclass
class Post:
    """A POST with data that succeeds for the rightful actor (issue 11).

    ``data``: a function of the world giving the form's fields (files as uploads; called afresh for each role);
    ``expect``: what each role gets; ``rightful``: the role whose POST must succeed and change something. Every
    role whose outcome is a refusal (``REFUSALS``) must leave every row and the audit trail as they were.
    """

    data: Any
    expect: dict
    rightful: str
    changes: bool = True


@dataclass
class Entry:
    """What each role gets from one URL.

    ``kwargs``: the URL's arguments, or a function of the world returning them; ``path``: for unnamed
    patterns, the path to request; ``mutating``: the URL changes state, so GET gets 405 and POST needs CSRF;
    ``post``: valid data POSTed as every role (:class:`Post`), required for a mutating URL; ``bearer``: the URL
    authenticates by bearer token (or client credentials) only, never by cookie, so a forged cross-site POST
    carries no credential and CSRF does not apply (``test_csrf`` checks it is refused all the same).
    """

    expect: dict
    kwargs: Any = field(default_factory=dict)
    method: str = "get"
    data: dict = field(default_factory=dict)
    path: str = ""
    mutating: bool = False
    post: Post | None = None
    bearer: bool = False

    def url(self, key, world):
        if self.path:
            return self.path
        kwargs = self.kwargs(world) if callable(self.kwargs) else self.kwargs
        with translation.override("fr"):
            return reverse(key, kwargs=kwargs)


def routes():
    """Every URL pattern of the root URLconf: ``{key: full route}``; the key is ``namespace:name`` (or the
    route when unnamed). Language-prefixed patterns count once, without their prefix."""
    found = {}

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                route = "" if isinstance(pattern.pattern, LocalePrefixPattern) else str(pattern.pattern)
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern.url_patterns, prefix + route, inner)
            else:
                route = prefix + str(pattern.pattern)
                name = pattern.name or route
                found[f"{namespace}:{name}" if namespace else name] = route

    walk(get_resolver().url_patterns, "", None)
    return found


def _admin_path(route):
    """A requestable path for one of the admin's patterns (the admin refuses before looking anything up)."""
    route = re.sub(r"\^\(\?P<app_label>[^)]*\)/\$$", "identity/", route)
    route = route.replace("(?P<url>.*)$", "nothing-here/")
    return "/fr/" + re.sub(r"<[^>]+>", "1", route)


def admin_entries():
    """Django's admin: only superusers (break-glass accounts, not a role of the portal) get in."""
    entries = {}
    for key, route in routes().items():
        if key.startswith("admin:"):
            entries[key] = Entry(expect=expect(ADMIN_LOGIN), path=_admin_path(route))
    # The admin's login is the staff login (strong authentication): others are sent there, signed-in
    # non-superusers get 403.
    entries["admin:login"] = Entry(
        expect=expect(FORBIDDEN, anonymous=Outcome("STAFF_LOGIN", 302, "/account/login/staff/")),
        path="/fr/admin/login/",
    )
    # Someone who is not in the admin is sent to its index (then its login) before the method is looked at.
    entries["admin:logout"] = Entry(expect=expect(REDIRECT), path="/fr/admin/logout/")
    return entries


ENTRIES = {
    "healthz": Entry(expect=expect(OK)),
    "readyz": Entry(expect=expect(OK)),
    # Changing the language sets a cookie: the rightful POST changes no row (``changes=False``).
    "set_language": Entry(
        expect=expect(METHOD_NOT_ALLOWED),
        mutating=True,
        post=Post(
            data=lambda world: {"language": "nl", "next": "/"},
            expect=expect(REDIRECT),
            rightful="person",
            changes=False,
        ),
    ),
    **admin_entries(),
}
