"""The language switcher: the chosen language wins on every page, whatever the language cookie says, and the
query string (a search, a filter) is kept."""

from django.conf import settings

from eservices.mailbox.services import mailbox_of_user

PAGES = ["/fr/", "/fr/case-files/?q=CPI", "/fr/deposits/", "/fr/deposits/new/", "/fr/access-requests/"]


def test_the_chosen_language_wins_and_keeps_the_query(journey, live_server):
    page = journey.page
    journey.log_in("concerned")
    page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "nl", "url": live_server.url}])
    mailbox = mailbox_of_user(journey.world.concerned_user)
    for path in [*PAGES, f"/fr/mailbox/{mailbox.pk}/?kind=notification"]:
        page.goto(path)
        for language in ("de", "en", "nl", "fr"):
            page.locator(f".language-switcher button[value={language}]").click()
            page.wait_for_load_state()
            assert page.url.endswith(path.replace("/fr/", f"/{language}/", 1)), (path, language, page.url)
            assert page.locator("html").get_attribute("lang") == language
