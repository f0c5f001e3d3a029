"""One way to show dates, times and sizes on every page and in every e-mail (issue 12).

Dates in the locale's format (``DATE_FORMAT``: "1 décembre 2026", "1 december 2026"); times in Brussels
(the Service's legal time), 24-hour; sizes in one unit system, decimal (1 kB = 1000 bytes, as the deposit form's
script counts them), the number in the locale's format. Templates use the ``display`` filters
(``{% load display %}``: ``day``, ``moment``, ``size``, and ``{% lang_attr %}``); Python code uses these
functions.
"""

import datetime
import zoneinfo

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
UNITS = ((10**9, "GB"), (10**6, "MB"), (10**3, "kB"))


def day(value) -> str:
    """A date (or the Brussels date of a moment) in the locale's format."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value, BRUSSELS).date() if timezone.is_aware(value) else value.date()
    return formats.date_format(value, "DATE_FORMAT")


def moment(value, seconds: bool = False) -> str:
    """A moment in Brussels time: the locale's date, then the 24-hour time (with seconds for evidence)."""
    if value in (None, ""):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value, BRUSSELS)
    return f"{day(value)} {value:%H:%M:%S}" if seconds else f"{day(value)} {value:%H:%M}"


def size(value) -> str:
    """A number of bytes in decimal units, the number in the locale's format: "1,2 MB", "340 kB", "12 bytes"."""
    try:
        count = int(value)
    except (TypeError, ValueError):
        return ""
    for factor, unit in UNITS:
        if count >= factor:
            amount = count / factor
            places = 1 if amount < 100 and unit != "kB" else 0
            return f"{formats.number_format(round(amount, places), places, use_l10n=True)} {unit}"
    return _("%(count)s bytes") % {"count": count} if count != 1 else _("1 byte")


def other_language(language: str) -> str:
    """A text's language code when it is known and is not the page's (to mark it with ``lang``); "" otherwise."""
    code = (language or "")[:2].lower()
    page = (get_language() or "")[:2]
    if len(code) != 2 or not code.isalpha() or code == page:
        return ""
    return code
