"""Every URL pattern of the project, for every role, gives the outcome its app's registry says."""

import hashlib
import importlib
import re

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client

from conftest import log_in
from eservices.access.tests.personas import build_world
from eservices.core.tests import authorisation
from eservices.units.models import StaffRole
from eservices.units.tests.factories import StaffFactory


def app_registries():
    """The ``tests/authorisation.py`` module of every app of the portal that has one."""
    modules = []
    for config in apps.get_app_configs():
        if config.name.startswith("eservices."):
            try:
                modules.append(importlib.import_module(f"{config.name}.tests.authorisation"))
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.tests.authorisation":
                    raise
    return modules


def registry():
    entries = {}
    for module in app_registries():
        for key, entry in module.ENTRIES.items():
            assert key not in entries, f"{key} has two entries ({module.__name__})"
            entries[key] = entry
    return entries


REGISTRY = registry()
ROUTES = authorisation.routes()


class World:
    """The access rules' world (``access/tests/personas.py``: a unit's case file with its parties, documents of
    every visibility, grants, staff of the unit and of another unit), plus the unit's lead and a functional
    administrator, and one user per role."""

    def __init__(self):
        self.__dict__.update(vars(build_world()))
        self.unit_lead = StaffFactory(username="unit_lead", unit=self.unit, unit__role=StaffRole.UNIT_LEAD)
        self.administrator = StaffFactory(username="administrator", unit=self.unit, unit__role=StaffRole.ADMINISTRATOR)
        self.users = {
            "person": self.outsider,
            "person_with_grant": self.concerned_user,
            "company_representative": self.representative,
            "lawyer": self.lawyer_user,
            "staff_other_unit": self.other_staff,
            "staff_unit": self.clerk,
            "unit_lead": self.unit_lead,
            "administrator": self.administrator,
        }
        for module in app_registries():
            if hasattr(module, "build_world"):
                module.build_world(self)

    def client_for(self, role, **options):
        client = Client(**options)
        if role != "anonymous":
            log_in(client, self.users[role])
        return client


def test_every_url_has_an_entry_and_every_entry_a_url():
    missing = sorted(set(ROUTES) - set(REGISTRY))
    stale = sorted(set(REGISTRY) - set(ROUTES))
    assert missing == [], "add these URLs to their app's tests/authorisation.py"
    assert stale == [], "these entries name no URL any more"


def test_every_entry_covers_every_role():
    for key, entry in REGISTRY.items():
        assert set(entry.expect) == set(authorisation.ROLES), key


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(set(ROUTES) & set(REGISTRY)))
def test_each_role_gets_what_the_matrix_says(key):
    world = World()
    entry = REGISTRY[key]
    url = entry.url(key, world)
    wrong = {}
    for role in authorisation.ROLES:
        response = getattr(world.client_for(role), entry.method)(url, entry.data)
        expected = entry.expect[role]
        if not expected.matches(response):
            wrong[role] = f"expected {expected!r}, got {response.status_code} {response.get('Location', '')}".strip()
    assert wrong == {}, url


def test_no_url_carries_a_national_number_or_a_token():
    """Values that must never travel in a URL (R29) are no pattern's parameter."""
    forbidden = ("nrn", "niss", "insz", "national", "token", "password", "secret")
    # The link of the e-mail address confirmation carries its one-time token: that is what the link is for.
    allowed = {("account/profile/confirm/<str:token>/", ("token", ""))}
    parameters = {
        (route, name) for route in ROUTES.values() for name in re.findall(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>", route)
    }
    offending = [
        (route, name)
        for route, name in parameters - allowed
        if any(word in "".join(name).lower() for word in forbidden)
    ]
    assert offending == []


@pytest.mark.django_db
def test_json_responses_name_their_charset():
    world = World()
    client = world.client_for("administrator")
    for key in sorted(set(ROUTES) & set(REGISTRY)):
        response = client.get(REGISTRY[key].url(key, world))
        if "json" in response.get("Content-Type", ""):
            assert "charset=utf-8" in response["Content-Type"], key


# Rows that a request changes whoever sends it: the session (messages, login state) is not the use case's.
UNWATCHED = {"sessions.session"}


def snapshot():
    """Every row of every table (a digest per model), and the audit trail's length."""
    digests = {}
    for model in apps.get_models():
        if model._meta.label_lower in UNWATCHED or not model._meta.managed:
            continue
        rows = list(model._base_manager.order_by("pk").values_list())
        digests[model._meta.label_lower] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digests


def changed(before, after):
    return sorted(label for label in before if before[label] != after.get(label))


POSTED = sorted(key for key in set(ROUTES) & set(REGISTRY) if REGISTRY[key].post)


def test_every_mutating_url_is_posted_with_valid_data():
    """A POST-only URL gets valid data as every role, not only a GET (which proves only the 405)."""
    assert [key for key, entry in REGISTRY.items() if entry.mutating and entry.post is None] == []


@pytest.mark.django_db
@pytest.mark.parametrize("key", POSTED)
def test_valid_posts_change_nothing_for_those_refused(key):
    """Data that succeeds for the rightful actor, POSTed as every role: a refused role gets its refusal and no row
    and no audit event changed; the rightful actor's POST succeeds and changes something. Each role's POST runs in
    a savepoint rolled back afterwards, so that every role meets the same world."""
    world = World()
    entry = REGISTRY[key]
    url = entry.url(key, world)
    wrong = {}
    for role in authorisation.ROLES:
        client = world.client_for(role)
        data = entry.post.data(world)
        before = snapshot()
        with transaction.atomic():
            response = client.post(url, data)
            after = snapshot()
            transaction.set_rollback(True)
        expected = entry.post.expect[role]
        if not expected.matches(response):
            wrong[role] = f"expected {expected!r}, got {response.status_code} {response.get('Location', '')}".strip()
        elif expected in authorisation.REFUSALS and changed(before, after):
            wrong[role] = f"refused but changed {changed(before, after)}"
        elif role == entry.post.rightful and entry.post.changes and "audit.auditevent" not in changed(before, after):
            wrong[role] = f"the rightful POST recorded nothing (changed {changed(before, after)})"
    assert wrong == {}, url
