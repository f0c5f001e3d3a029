"""Apps depend only on their own floor or the floors below (docs/architecture.md): imports, foreign keys (written
as classes or as ``"app.Model"`` strings), migration dependencies and ``apps.get_model`` lookups."""

import ast
import re
from pathlib import Path

from django.apps import apps as django_apps
from django.db.migrations.loader import MigrationLoader

ROOT = Path(__file__).resolve().parents[3]

FLOORS = {
    "core": 1,
    "identity": 2,
    "units": 2,  # its memberships name the user model (identity)
    "audit": 2,
    "intake": 2,
    "notifications": 2,
    "signing": 2,
    "calendar": 2,
    "pages": 2,
    "casefiles": 3,
    "evidence": 3,
    "access": 4,
    "mailbox": 4,
    "deposits": 4,
    "dashboards": 4,
    "portal": 5,
    "backoffice": 5,
    "api": 5,  # the REST API: a face like the portal
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


def floor_of_label(label):
    """The floor of the app whose Django label is ``label`` (``legal_calendar`` is the ``calendar`` folder); None
    for Django's and third parties' apps, which are below every floor."""
    try:
        config = django_apps.get_app_config(label)
    except LookupError:
        return None
    match = re.fullmatch(r"eservices\.(\w+)", config.name)
    return FLOORS[match.group(1)] if match else None


def test_foreign_keys_point_downwards_only():
    """A relation (``"casefiles.CaseFile"`` as a string as much as a class) is a dependency like an import."""
    violations = []
    for model in django_apps.get_models():
        own = floor_of_label(model._meta.app_label)
        if own is None:
            continue
        for field in model._meta.get_fields(include_hidden=True):
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            other = floor_of_label(field.related_model._meta.app_label)
            if other is not None and other > own:
                violations.append(f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}")
    assert violations == []


def test_migrations_depend_downwards_only():
    """A migration that depends on an upper floor's migration ties the lower app's schema to the upper one."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    violations = []
    for (label, name), node in graph.node_map.items():
        own = floor_of_label(label)
        if own is None:
            continue
        for other_label, other_name in (parent.key for parent in node.parents):
            other = floor_of_label(other_label)
            if other is not None and other > own:
                violations.append(f"{label}.{name} depends on {other_label}.{other_name}")
    assert violations == []


def get_model_lookups(path):
    """The app labels looked up with ``get_model("label", ...)`` or ``get_model("label.Model")`` in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        function = node.func
        name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
        first = node.args[0]
        if name == "get_model" and isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield first.value.split(".")[0]


def test_get_model_lookups_point_downwards_only():
    """``apps.get_model`` fetches a class by name: it hides a dependency from the import check, so it is held to
    the same rule (data migrations included)."""
    violations = []
    for path in (ROOT / "eservices").rglob("*.py"):
        relative = path.relative_to(ROOT / "eservices")
        if "tests" in relative.parts or relative.parts[0] not in FLOORS:
            continue
        own = FLOORS[relative.parts[0]]
        for label in get_model_lookups(path):
            other = floor_of_label(label)
            if other is not None and other > own:
                violations.append(f"{relative} looks up {label} (floor {other} > {own})")
    assert violations == []


def test_lookups_are_found_whatever_their_spelling(tmp_path):
    """The ``get_model`` check reads both spellings, through ``apps`` or a migration's ``apps`` argument."""
    source = tmp_path / "example.py"
    source.write_text('apps.get_model("casefiles", "Document")\nget_model("legal_calendar.ClosingDay")\n')
    assert list(get_model_lookups(source)) == ["casefiles", "legal_calendar"]
    assert floor_of_label("legal_calendar") == FLOORS["calendar"]
    assert floor_of_label("auth") is None


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


# One write path: the audit trail is written by the use cases (``services.py``), by management commands and by
# tasks, each inside the transaction of what it records; views, middleware and helpers call a service. The audit
# app's own admin site is the exception: Django's admin saves in its transaction and the event joins it.
RECORD_ALLOWED = {Path("audit/admin_site.py")}


def record_calls(path):
    """The lines of ``path`` that call the audit trail's ``record(...)``: imported by name (or alias), called
    through the audit services module, or (inside the audit app) its own."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions, modules = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            is_audit_services = module == "eservices.audit.services" or (
                node.level == 1 and module == "services" and "audit" in path.parts
            )
            for alias in node.names:
                if is_audit_services and alias.name == "record":
                    functions.add(alias.asname or alias.name)
                if module == "eservices.audit" and alias.name == "services":
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.Import):
            modules |= {alias.asname or alias.name for alias in node.names if alias.name == "eservices.audit.services"}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        if (
            isinstance(function, ast.Name)
            and function.id in functions
            or (
                isinstance(function, ast.Attribute)
                and function.attr == "record"
                and ast.unparse(function.value) in modules
            )
        ):
            yield node.lineno


def test_the_audit_trail_is_written_by_services_commands_and_tasks_only():
    offending = []
    for path in (ROOT / "eservices").rglob("*.py"):
        relative = path.relative_to(ROOT / "eservices")
        if (
            "tests" in relative.parts
            or "migrations" in relative.parts
            or "management" in relative.parts
            or relative.name in ("services.py", "tasks.py")
            or relative in RECORD_ALLOWED
        ):
            continue
        offending += [f"{relative}:{line}" for line in record_calls(path)]
    assert offending == []


def test_a_record_call_is_found_however_it_is_written(tmp_path):
    source = tmp_path / "views.py"
    source.write_text(
        "from eservices.audit import services as audit\n"
        "from eservices.audit.services import record as note\n"
        "def view(request, record):\n"
        "    audit.record('x')\n"
        "    later = lambda: note('y')\n"
        "    record()  # a callback of the caller's, not the trail\n"
    )
    assert sorted(record_calls(source)) == [4, 5]
