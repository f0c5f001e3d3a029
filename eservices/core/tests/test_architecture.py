"""Apps import only from their own floor or the floors below (docs/architecture.md)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

FLOORS = {
    "core": 1,
    "units": 1,
    "identity": 2,
    "audit": 2,
    "intake": 2,
    "notifications": 2,
    "signing": 2,
    "calendar": 2,
    "pages": 2,
    "access": 3,
    "evidence": 3,
    "casefiles": 4,
    "mailbox": 4,
    "deposits": 4,
    "dashboards": 4,
    "portal": 5,
    "backoffice": 5,
    "api": 5,
    "demo": 5,
    "operations": 5,
}


def imported_apps(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            match = re.match(r"eservices\.(\w+)", name)
            if match:
                yield match.group(1)


def test_every_app_has_a_floor():
    apps = {path.parent.name for path in (ROOT / "eservices").glob("*/apps.py")}
    assert apps <= set(FLOORS), f"give these apps a floor: {apps - set(FLOORS)}"


def test_imports_run_downwards_only():
    violations = []
    for path in (ROOT / "eservices").rglob("*.py"):
        relative = path.relative_to(ROOT / "eservices")
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        app = relative.parts[0]
        for other in imported_apps(path):
            if other != app and FLOORS[other] > FLOORS[app]:
                violations.append(f"{relative} imports {other} (floor {FLOORS[other]} > {FLOORS[app]})")
    assert violations == []


STAFF_LOOKUP = re.compile(
    r"memberships__user|\.memberships\.(filter|exists|all|get|values)|StaffMembership\.objects\.filter\("
)


def test_only_units_answers_who_is_staff_of_a_unit():
    """One helper (``units/staff.py``) answers "is this actor staff of this unit": no app reads memberships
    itself, so that a rule about staff is written once (issue 11)."""
    offending = []
    for path in (ROOT / "eservices").rglob("*.py"):
        relative = path.relative_to(ROOT / "eservices")
        if relative.parts[0] == "units" or "tests" in relative.parts or "migrations" in relative.parts:
            continue
        offending += [
            f"{relative}:{number}"
            for number, line in enumerate(path.read_text().splitlines(), 1)
            if STAFF_LOOKUP.search(line)
        ]
    assert offending == []
