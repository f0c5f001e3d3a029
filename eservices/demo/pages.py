"""The demo's contact details of each unit, set by the functional administrator (idempotent: unchanged details
record nothing)."""

from eservices.identity.models import User
from eservices.pages import services
from eservices.units.models import Unit

ADDRESS = "Avenue Galilée 5/01\n1210 Bruxelles"
HOURS = {
    "hours_fr": "Jours ouvrables, de 9 h à 12 h et de 13 h 30 à 16 h",
    "hours_nl": "Werkdagen, van 9 tot 12 uur en van 13.30 tot 16 uur",
    "hours_de": "Werktags von 9 bis 12 Uhr und von 13.30 bis 16 Uhr",
    "hours_en": "Working days, 9:00 to 12:00 and 13:30 to 16:00",
}
# Fictitious numbers (the demo's units are not reachable).
PHONES = {"SECM": "+32 2 000 01 00", "FD": "+32 2 000 02 00", "CPI": "+32 2 000 03 00", "CR": "+32 2 000 04 00"}


def load():
    administrator = User.objects.get(username="beheerder")
    for unit in Unit.objects.filter(code__in=PHONES):
        services.update_contact(
            actor=administrator, unit=unit, data={"phone": PHONES[unit.code], "address": ADDRESS, **HOURS}
        )
