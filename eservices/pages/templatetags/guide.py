"""``{% guide_link "deposit" %}``: the help of a form, a link to its page of the guide."""

from django import template
from django.utils.translation import get_language

from .. import content, queries

register = template.Library()


@register.inclusion_tag("pages/_guide_link.html")
def guide_link(slug: str) -> dict:
    """A "Help" link to one page of the guide, named by its title in the active language."""
    if slug not in content.GUIDE_PAGES + content.STAFF_PAGES:
        raise template.TemplateSyntaxError(f"no guide page {slug!r}")
    return {"slug": slug, "title": content.title(content.GUIDE_DIR, (get_language() or "fr")[:2], slug)}


@register.inclusion_tag("pages/_notices.html")
def current_notices() -> dict:
    """The maintenance and outage notices in force, for the home page."""
    return {"notices": queries.current_notices()}
