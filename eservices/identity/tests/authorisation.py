"""Login, logout, profile and representations: everyone reaches the login pages; the rest needs a session."""

from eservices.core.tests.authorisation import (
    LOGIN,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    OK,
    REDIRECT,
    TO_PROVIDER,
    Entry,
    Post,
    expect,
)


def representation(world):
    from eservices.identity.models import Representation

    return {"pk": Representation.objects.get(user=world.representative).pk}


ENTRIES = {
    "identity:login": Entry(expect=expect(OK)),
    "identity:oidc_start": Entry(expect=expect(TO_PROVIDER)),
    # Outside the language prefix; without a pending login (state, nonce) it goes back to the login page.
    "oidc_callback": Entry(expect=expect(LOGIN)),
    # Where the provider sends everyone back after the logout: a plain page.
    "logged_out": Entry(expect=expect(OK)),
    "identity:staff_login": Entry(expect=expect(OK)),
    # The second step needs the first step's pending login: everyone else goes back to the login page.
    "identity:staff_login_code": Entry(expect=expect(LOGIN)),
    "identity:logout": Entry(
        expect=expect(METHOD_NOT_ALLOWED),
        mutating=True,
        post=Post(data=lambda world: {}, expect=expect(REDIRECT), rightful="person"),
    ),
    "identity:profile": Entry(expect=expect(OK, anonymous=LOGIN)),
    # An unknown or expired token: back to the profile with a message.
    "identity:confirm_email": Entry(kwargs={"token": "not-a-token"}, expect=expect(REDIRECT, anonymous=LOGIN)),
    "identity:request_representation": Entry(expect=expect(OK, anonymous=LOGIN)),
    "identity:end_representation": Entry(
        kwargs=representation,
        expect=expect(METHOD_NOT_ALLOWED, anonymous=LOGIN),
        mutating=True,
        # A representation exists for its person only: 404 for everyone else, staff included.
        post=Post(
            data=lambda world: {},
            expect=expect(NOT_FOUND, anonymous=LOGIN, company_representative=REDIRECT),
            rightful="company_representative",
        ),
    ),
}
