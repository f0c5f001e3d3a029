"""Every screenshot the README and the user guide show exists (``make screenshots`` makes them)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_screenshot_named_in_the_docs_exists():
    documents = [ROOT / "README.md", *sorted((ROOT / "docs" / "guide").glob("**/*.md"))]
    named = {
        (document.parent / link).resolve()
        for document in documents
        for link in re.findall(r"\(([^)\s]*screenshots/[^)\s]+\.png)\)", document.read_text(encoding="utf-8"))
    }
    assert named, "the README shows no screenshot"
    assert sorted(str(path.relative_to(ROOT)) for path in named if not path.is_file()) == []
