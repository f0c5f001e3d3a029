"""What every journey does: log in and out through the identity provider as a person would, check each page
(axe at desktop width and at 360 px, no horizontal scrolling), read the e-mail a person got, save screenshots."""

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Page

from conftest import assert_accessible
from eservices.notifications.models import OutboxEmail

LEVEL450 = "urn:be:fedict:iam:fas:Level450"
LEVEL500 = "urn:be:fedict:iam:fas:Level500"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
# The innermost elements that stick out to the right of the viewport, to say what makes a page scroll sideways.
TOO_WIDE = """() => [...document.body.querySelectorAll('*')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > document.documentElement.clientWidth + 1))
  .slice(0, 5).map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40))"""
# Ids that aria-describedby, aria-labelledby and aria-controls name but that the page does not have.
MISSING_REFERENCES = """() => [...document.querySelectorAll('[aria-describedby],[aria-labelledby],[aria-controls]')]
  .flatMap(element => ['aria-describedby', 'aria-labelledby', 'aria-controls']
    .flatMap(name => (element.getAttribute(name) || '').split(/\\s+/).filter(Boolean))
    .filter(id => !document.getElementById(id)).map(id => `${element.tagName}#${element.id} -> ${id}`))"""


@dataclass
class Journey:
    page: Page
    world: object
    screenshots: str | None = None

    def log_in(self, account: str, *, staff: bool = False, here: bool = False) -> None:
        """From the login page (or the one the browser is on: ``here``), through the provider, back to the portal."""
        page = self.page
        if not here:
            page.goto("/fr/account/login/")
        page.locator(f"a[href*='/account/login/oidc/']{'[href*=staff]' if staff else ':not([href*=staff])'}").click()
        page.wait_for_url("**/interaction/**")
        level = "Level500" if staff else "Level450"
        row = page.locator("tr", has=page.locator("td", has_text=re.compile(f"^{account}$")))
        row.get_by_role("button", name=re.compile(level)).click()
        page.wait_for_url(re.compile(re.escape(settings.SITE_URL) + "/(?!oidc/)"))
        assert page.locator("form[action$='/account/logout/']").count() == 1, f"not logged in: {page.url}"

    def log_out(self) -> None:
        """The logout button, the provider's confirmation, and back on the portal's "logged out" page."""
        page = self.page
        page.locator("form[action$='/account/logout/'] button").click()
        page.get_by_role("button", name="Yes, log out").click()
        page.wait_for_url(f"{settings.SITE_URL}/oidc/logged-out")

    def check(self, screenshot: str | None = None) -> None:
        """axe finds nothing at desktop width and at 360 px, where nothing scrolls sideways; saves the screen."""
        page = self.page
        assert_accessible(page)
        missing = page.evaluate(MISSING_REFERENCES)
        assert missing == [], f"{page.url}: aria attributes point to missing ids {missing}"
        page.set_viewport_size(PHONE)
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{page.url} scrolls sideways by {overflow} px at 360 px: {page.evaluate(TOO_WIDE)}"
        assert_accessible(page)
        page.set_viewport_size(DESKTOP)
        if screenshot and self.screenshots:
            Path(self.screenshots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(self.screenshots) / f"{screenshot}.png"), full_page=True)

    def email_link(self, to: str) -> str:
        """The first portal link of the latest e-mail to this address, as the browser would open it."""
        email = OutboxEmail.objects.filter(to=to).latest("id")
        match = re.search(re.escape(settings.SITE_URL) + r"[^\s\"'<>]*", email.body_text)
        assert match, f"no link to the portal in {email.subject!r}"
        return match.group(0)
