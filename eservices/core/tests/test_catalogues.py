"""French, Dutch and German catalogues are complete: no empty or fuzzy message ships."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[3] / "locale"


@pytest.mark.parametrize("language", ["fr", "nl", "de"])
def test_catalogue_is_complete(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.po").open("rb") as po:
        catalogue = read_po(po, locale=language)
    missing = [
        message.id
        for message in catalogue
        if message.id
        and (message.fuzzy or not all(message.string if isinstance(message.string, tuple) else [message.string]))
    ]
    assert missing == []
