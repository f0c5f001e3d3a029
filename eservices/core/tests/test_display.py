"""One format for dates (the locale's), times (Brussels) and sizes (decimal units) on pages and in e-mails, and
texts in another language than the page's marked with ``lang`` (issue 12)."""

import datetime
import zoneinfo

from django.template import Context, Template
from django.utils import translation

from eservices.core import display

UTC = zoneinfo.ZoneInfo("UTC")


def test_sizes_are_decimal_in_the_locales_number_format():
    with translation.override("fr"):
        assert display.size(1_234_567) == "1,2 MB"
        assert display.size(340_000) == "340 kB"
        assert display.size(12) == "12 octets"
    with translation.override("en"):
        assert display.size(1_234_567) == "1.2 MB" and display.size(1) == "1 byte"
        assert display.size(3_500_000_000) == "3.5 GB"


def test_moments_are_in_brussels_time_after_the_locales_date():
    late_in_utc = datetime.datetime(2026, 3, 19, 23, 30, 5, tzinfo=UTC)  # already the 20th in Brussels
    with translation.override("fr"):
        assert display.moment(late_in_utc) == "20 mars 2026 00:30"
        assert display.moment(late_in_utc, seconds=True) == "20 mars 2026 00:30:05"
        assert display.day(late_in_utc) == "20 mars 2026"
    with translation.override("nl"):
        assert display.day(datetime.date(2026, 3, 19)) == "19 maart 2026"


def test_the_filters_and_the_lang_attribute_in_a_template():
    template = Template(
        "{% load display %}{{ when|moment }} {{ bytes|size }} {{ date|day }}<p{% lang_attr language %}>x</p>"
    )
    with translation.override("de"):
        html = template.render(
            Context(
                {
                    "when": datetime.datetime(2026, 7, 1, 8, 0, tzinfo=UTC),
                    "bytes": 2_000_000,
                    "date": datetime.date(2026, 7, 1),
                    "language": "fr",
                }
            )
        )
    assert html == '1. Juli 2026 10:00 2,0 MB 1. Juli 2026<p lang="fr">x</p>'
    with translation.override("fr"):
        assert Template("{% load display %}<p{% lang_attr 'fr' %}>").render(Context()) == "<p>"
        assert Template("{% load display %}<p{% lang_attr '' %}>").render(Context()) == "<p>"
