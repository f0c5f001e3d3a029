"""The user guide and the statements, written as Markdown files, one per page and language.

Why Markdown files and not templates: translators edit plain text they can read on their own, one file per page
and language that the tests compare (each page in each language, each screenshot named exists); the files
render as they are in a repository browser too (links between pages and screenshots are relative).

    docs/guide/<language>/<page>.md      the user guide (citizens) and the staff guide (``staff-...``)
    docs/statements/<language>/<page>.md accessibility, privacy, legal notice, cookies
    docs/screenshots/<name>.png          made by the browser journeys (``make screenshots``)

Rendering: markdown-it-py with raw HTML off (any ``<tag>`` is shown as text) and its link check on (no
``javascript:`` URL); relative links become the portal's URLs. ``{{ name }}`` places a figure of
:func:`figures` (a retention period, a cookie's name...), so that statements cite the settings in force.
"""

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from markdown_it.token import Token

DOCS = Path(settings.BASE_DIR) / "docs"
GUIDE_DIR = DOCS / "guide"
STATEMENTS_DIR = DOCS / "statements"
SCREENSHOTS_DIR = DOCS / "screenshots"
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)

# The user guide, one page per task, in reading order.
GUIDE_PAGES = (
    "log-in",
    "act-for-someone",
    "request-access",
    "read-a-decision",
    "consult-and-download",
    "read-a-notification",
    "deposit",
    "verify-a-proof",
    "email-alerts",
    "when-something-goes-wrong",
)
# The staff guide (back office).
STAFF_PAGES = ("staff-access-requests", "staff-notifications", "staff-deposits", "staff-paper-fallback")
STATEMENTS = ("accessibility", "privacy", "legal-notice", "cookies")
# The only screenshots the guide may show: the browser journeys regenerate exactly these.
SCREENSHOTS = (
    "home.png",
    "login.png",
    "case-files.png",
    "case-file.png",
    "access-request.png",
    "mailbox.png",
    "message.png",
    "deposit.png",
    "deposit-proof.png",
    "verify.png",
    "backoffice-home.png",
    "backoffice-access-requests.png",
    "backoffice-deposits.png",
)

PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
SCREENSHOT_LINK = re.compile(r"^(?:\.\./)+screenshots/([\w.-]+)$")
PAGE_LINK = re.compile(r"^([\w-]+)\.md(#[\w-]+)?$")
OTHER_FOLDER_LINK = re.compile(r"^\.\./\.\./(?:guide|statements)/(?:fr|nl|de|en)/([\w-]+)\.md(#[\w-]+)?$")
# A screen of the portal, by its URL name: [My case files](portal:case_files).
SCREEN_LINK = re.compile(r"^((?:portal|mailbox|identity|backoffice|pages):\w+)$")


def _days(value) -> str:
    return str(value) if value else "∞"


@functools.cache
def axe_version() -> str:
    """The axe-core release the accessibility tests run (package-lock.json pins it)."""
    lock = json.loads((Path(settings.BASE_DIR) / "package-lock.json").read_text(encoding="utf-8"))
    return lock["packages"]["node_modules/axe-core"]["version"]


@functools.cache
def accessibility_review() -> dict:
    """The date of the last accessibility review and its results, from the facts list of docs/accessibility.md."""
    text = (DOCS / "accessibility.md").read_text(encoding="utf-8")
    return dict(re.findall(r"^- (\w+): `([^`]*)`$", text, flags=re.MULTILINE))


def figures() -> dict:
    """Every figure a page may cite, read from the settings in force (never copied into the text)."""
    review = accessibility_review()
    return {
        "retention_documents_days": _days(settings.RETENTION["documents"]),
        "retention_personal_data_days": _days(settings.RETENTION["personal_data"]),
        "session_idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
        "session_absolute_hours": settings.SESSION_ABSOLUTE_SECONDS // 3600,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "language_cookie": settings.LANGUAGE_COOKIE_NAME,
        "csrf_cookie_days": settings.CSRF_COOKIE_AGE // 86400,
        "max_file_mb": settings.INTAKE_MAX_FILE_BYTES // (1024 * 1024),
        "max_files": settings.INTAKE_MAX_FILES,
        "max_submission_mb": settings.INTAKE_MAX_SUBMISSION_BYTES // (1024 * 1024),
        "access_decision_days": settings.ACCESS_DECISION_DAYS,
        "deposit_triage_days": settings.DEPOSIT_TRIAGE_WORKING_DAYS,
        "dpo_email": settings.DPO_EMAIL,
        "axe_version": axe_version(),
        "accessibility_reviewed_on": review["reviewed_on"],
        "axe_violations": review["axe_violations"],
    }


@dataclass(frozen=True)
class Page:
    title: str
    html: SafeString
    screenshots: tuple


def _source(folder: Path, language: str, slug: str) -> str:
    return (folder / language / f"{slug}.md").read_text(encoding="utf-8")


def _fill(text: str) -> str:
    """Each ``{{ name }}`` replaced by its figure; an unknown name is a bug of the page (KeyError)."""
    if not PLACEHOLDER.search(text):
        return text
    values = figures()
    return PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), text)


@functools.cache
def _markdown() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def _rewrite(href: str, screenshots: list) -> str:
    """A relative link of the Markdown file as the portal serves it."""
    if match := SCREENSHOT_LINK.match(href):
        screenshots.append(match.group(1))
        return reverse("pages:screenshot", kwargs={"name": match.group(1)})
    if match := PAGE_LINK.match(href) or OTHER_FOLDER_LINK.match(href):
        slug = match.group(1)
        name = "pages:statement" if slug in STATEMENTS else "pages:guide_page"
        return reverse(name, kwargs={"slug": slug}) + (match.group(2) or "")
    if match := SCREEN_LINK.match(href):
        return reverse(match.group(1))
    return href


def render(folder: Path, language: str, slug: str) -> Page:
    """One page in one language: its title (the first heading), its safe HTML and the screenshots it names.

    A screenshot not made yet (``make screenshots``) is replaced by its text alternative, never a broken image.
    """
    text = _fill(_source(folder, language, slug))
    tokens = _markdown().parse(text)
    screenshots: list[str] = []
    title = ""
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1" and not title:
            title = tokens[index + 1].content
        children = token.children or []
        for position, child in enumerate(children):
            if child.type == "link_open":
                child.attrSet("href", _rewrite(str(child.attrGet("href") or ""), screenshots))
            elif child.type == "image":
                child.attrSet("src", _rewrite(str(child.attrGet("src") or ""), screenshots))
                if screenshots and not (SCREENSHOTS_DIR / screenshots[-1]).is_file():
                    children[position] = Token("text", "", 0, content=child.content)
    html = _markdown().renderer.render(tokens, _markdown().options, {})
    # Raw HTML is off and URLs are checked by markdown-it: what it produces is safe to show.
    return Page(title=title, html=mark_safe(html), screenshots=tuple(screenshots))  # noqa: S308 # nosec B308 B703


def title(folder: Path, language: str, slug: str) -> str:
    """A page's title without rendering it."""
    for line in _source(folder, language, slug).splitlines():
        if line.startswith("# "):
            return _fill(line[2:].strip())
    return slug
