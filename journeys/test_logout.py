"""Logging out ends the session here and at the identity provider, and says so."""

import re

from django.contrib.sessions.models import Session


def contrast(rgb: str, background=(255, 255, 255)) -> float:
    """WCAG contrast ratio of a CSS rgb() colour against a background."""

    def luminance(channels):
        linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted([luminance([int(c) for c in re.findall(r"\d+", rgb)[:3]]), luminance(background)])[::-1]
    return (lighter + 0.05) / (darker + 0.05)


def test_logout_goes_through_the_provider_and_says_so(journey):
    page = journey.page
    page.goto("/fr/account/login/")
    journey.check("login")
    journey.log_in("concerned")
    journey.check("home")
    # A favicon (no console error on every page).
    assert page.request.get(page.locator("link[rel=icon]").get_attribute("href")).ok
    journey.log_out()
    assert page.locator("h1").inner_text() == "Vous êtes déconnecté"
    assert page.locator("form[action$='/account/logout/']").count() == 0
    assert Session.objects.count() == 0
    journey.check()
    # A focus ring that shows on white (WCAG 1.4.11: 3:1).
    page.keyboard.press("Tab")
    page.locator("main a").first.focus()
    assert contrast(page.evaluate("getComputedStyle(document.activeElement).outlineColor")) >= 3
    page.goto("/fr/case-files/")
    assert "/account/login/" in page.url
