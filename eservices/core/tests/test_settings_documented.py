"""Every environment variable that config/settings.py reads is documented in docs/settings.md."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_every_variable_is_documented():
    source = (ROOT / "config" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env(?:bool|int|list)?\("([A-Z0-9_]+)"', source))
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", (ROOT / "docs" / "settings.md").read_text(), re.MULTILINE))
    assert read - documented == set(), "document these in docs/settings.md"
    assert documented - read == set(), "docs/settings.md names variables that settings.py no longer reads"
