"""Logging out ends the session here and at the identity provider, and says so."""

from django.contrib.sessions.models import Session


def test_logout_goes_through_the_provider_and_says_so(journey):
    journey.log_in("concerned")
    journey.check("home")
    journey.log_out()
    page = journey.page
    assert page.locator("h1").inner_text() == "Vous êtes déconnecté"
    assert page.locator("form[action$='/account/logout/']").count() == 0
    assert Session.objects.count() == 0
    journey.check()
    page.goto("/fr/case-files/")
    assert "/account/login/" in page.url
