"""The user guide, the statements and the contact page: public, in the four languages."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from . import content, queries
from .services import may_edit_content


def _language() -> str:
    return (get_language() or "fr")[:2]


def _titles(slugs) -> list:
    return [(slug, content.title(content.GUIDE_DIR, _language(), slug)) for slug in slugs]


@require_GET
def guide_index(request):
    """The guide's table of contents: one page per task, then the staff guide."""
    return render(
        request,
        "pages/guide_index.html",
        {"pages": _titles(content.GUIDE_PAGES), "staff_pages": _titles(content.STAFF_PAGES)},
    )


@require_GET
def guide_page(request, slug):
    """One task of the guide."""
    if slug not in content.GUIDE_PAGES + content.STAFF_PAGES:
        raise Http404
    page = content.render(content.GUIDE_DIR, _language(), slug)
    order = content.STAFF_PAGES if slug in content.STAFF_PAGES else content.GUIDE_PAGES
    position = order.index(slug)
    neighbours = {
        "previous": order[position - 1] if position else None,
        "next": order[position + 1] if position + 1 < len(order) else None,
    }
    return render(request, "pages/guide_page.html", {"page": page, "slug": slug, **neighbours})


@require_GET
def statement(request, slug):
    """Accessibility statement, privacy notice, legal notice, cookies."""
    if slug not in content.STATEMENTS:
        raise Http404
    page = content.render(content.STATEMENTS_DIR, _language(), slug)
    return render(request, "pages/statement.html", {"page": page, "slug": slug})


@require_GET
def screenshot(request, name):
    """A screenshot the guide shows; only the names the browser journeys make."""
    path = content.SCREENSHOTS_DIR / name
    if name not in content.SCREENSHOTS or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), content_type="image/png")


@require_GET
def contact(request):
    """How to reach the SECM and each registry (the functional administrator keeps it up to date)."""
    return render(
        request,
        "pages/contact.html",
        {"units": queries.units_with_contacts(), "can_edit": may_edit_content(request.user)},
    )
