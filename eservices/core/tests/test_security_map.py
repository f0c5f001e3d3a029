"""docs/security.md maps R1-R40 to the tests that prove them: every requirement is there, and every test it
names exists."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
ROW = re.compile(r"^\| (R\d+) \| [^|]+ \| ([^|]+) \| [^|]+ \| ([^|]+) \|$", re.MULTILINE)


def rows():
    return ROW.findall((ROOT / "docs" / "security.md").read_text(encoding="utf-8"))


def test_every_requirement_has_one_row():
    assert [requirement for requirement, _, _ in rows()] == [f"R{n}" for n in range(1, 41)]


def test_what_is_met_names_its_proof_and_every_named_test_exists():
    problems = []
    for requirement, status, proof in rows():
        if status.strip().startswith("met") and proof.strip() == "–":
            problems.append(f"{requirement}: met, but no test named")
        current = None
        for reference in re.findall(r"`([^`]+)`", proof):
            path, _, name = reference.partition("::")
            if path:
                if not path.endswith(".py"):
                    continue  # a command such as `make audit`
                # Paths are relative to eservices/, or to the project's root for top-level suites (journeys/).
                current = next((base / path for base in (ROOT / "eservices", ROOT) if (base / path).exists()), None)
                if current is None:
                    problems.append(f"{requirement}: no file {path}")
                    continue
            source = current.read_text(encoding="utf-8") if current is not None else ""
            if name and current is not None and not re.search(rf"^def {re.escape(name)}\(", source, re.MULTILINE):
                problems.append(f"{requirement}: no test {name} in {current.relative_to(ROOT)}")
    assert problems == []
