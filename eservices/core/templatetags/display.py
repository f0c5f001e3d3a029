"""Template filters for dates, times, sizes and languages of texts: see ``eservices.core.display``."""

from django import template
from django.utils.html import format_html

from eservices.core import display

register = template.Library()


@register.filter
def day(value) -> str:
    """``{{ document.document_date|day }}``: the locale's date format."""
    return display.day(value)


@register.filter
def moment(value, precision: str = "") -> str:
    """``{{ deposit.accepted_at|moment }}``, ``|moment:"seconds"``: Brussels time after the locale's date."""
    return display.moment(value, seconds=precision == "seconds")


@register.filter
def size(value) -> str:
    """``{{ document.size|size }}``: decimal units, the locale's number format."""
    return display.size(value)


@register.simple_tag
def lang_attr(language: str) -> str:
    """``<td{% lang_attr case_file.language %}>``: marks a text in another language than the page's."""
    code = display.other_language(language)
    return format_html(' lang="{}"', code) if code else ""
