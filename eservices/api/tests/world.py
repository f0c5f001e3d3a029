"""The access rules' world, plus what the API's resources need: a sent message, a deposit, an access request,
and three registered clients (every scope in the unit, every scope in the other unit, no scope in the unit)."""

from eservices.access import services as access_services
from eservices.access.tests.personas import build_world
from eservices.deposits.tests.factories import make_deposit
from eservices.identity.models import Capacity
from eservices.mailbox import services as mailbox_services
from eservices.mailbox.tests.factories import send

from ..scopes import SCOPES
from .clients import administrator, api, register, token_for


def api_world():
    world = build_world()
    world.messages = send(world.clerk, world.case_file, [mailbox_services.mailbox_of_user(world.concerned_user)])
    world.deposit = make_deposit(world.concerned_user, world.case_file)
    world.access_request = access_services.submit_request(
        actor=world.outsider, reference=world.case_file.reference, capacity=Capacity.LAWYER
    )
    admin = administrator(world.unit)
    world.client = register("unit-all", [world.unit], list(SCOPES), by=admin)
    world.other_client = register("other-all", [world.other_unit], list(SCOPES), by=admin)
    world.scopeless_client = register("unit-none", [world.unit], [], by=admin)
    world.http = api(token_for(world.client))
    world.other_http = api(token_for(world.other_client))
    world.scopeless_http = api(token_for(world.scopeless_client))
    return world
