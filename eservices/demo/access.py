"""Demo access requests and grants: pending, asked for more, granted and refused, for the demo identities.

Loaded by data.load() after the case files; idempotent (a request is made once per requester and reference).
"""

import datetime

from django.db import transaction
from django.utils import timezone

from eservices.access import services
from eservices.access.models import AccessGrant, AccessRequest, RefusalReason
from eservices.casefiles.models import CaseFile, Party
from eservices.identity.models import Capacity, Company, Representation, User

# requester, reference, capacity, on behalf of, message, decision: (decider, what)
REQUESTS = [
    ("me.rousseau", "CPI/2026/0044", Capacity.LAWYER, "Klaus Schmitz", "Je viens d'être consultée.", None),
    ("me.vandamme", "CPI/2026/0999", Capacity.LAWYER, "Jan Peeters", "Graag inzage.", None),
    (
        "curateur.dumont",
        "CPI/2026/0043",
        Capacity.AUTHORISED_THIRD_PARTY,
        "Succession",
        "Curateur désigné par le tribunal.",
        ("greffier.cpi", "ask"),
    ),
    ("dr.dubois", "SECM/2026/001201", Capacity.CONCERNED_PERSON, "", "", ("agent.secm", "grant")),
    ("me.rousseau", "SECM/2026/001201", Capacity.LAWYER, "Marie Dubois", "", ("agent.secm", "grant")),
    ("me.rousseau", "CPI/2026/0042", Capacity.LAWYER, "Olivier Lefebvre", "", ("greffier.cpi", "grant")),
    (
        "gerant.medilab",
        "CR/2026/0019",
        Capacity.COMPANY_REPRESENTATIVE,
        "Medilab SRL",
        "",
        ("greffier.cr", "grant_chosen"),
    ),
    ("erfgenaam.smets", "FD/2026/000312", Capacity.AUTHORISED_THIRD_PARTY, "Lies Jacobs", "", ("fd.secm", "refuse")),
]


@transaction.atomic
def load():
    """Create what is missing; running it again changes nothing."""
    medilab = Company.objects.filter(company_number="0412345614").first()
    manager = User.objects.filter(username="gerant.medilab").first()
    live = (Representation.Status.REQUESTED, Representation.Status.CONFIRMED)
    if medilab and manager and not manager.representations.filter(company=medilab, status__in=live).exists():
        Representation.objects.create(
            user=manager, company=medilab, status=Representation.Status.CONFIRMED, decided_at=timezone.now()
        )
    for username, reference, capacity, acting_for, message, decision in REQUESTS:
        requester = User.objects.filter(username=username).first()
        if requester is None or AccessRequest.objects.filter(requester=requester, reference=reference).exists():
            continue
        access_request = services.submit_request(
            actor=requester,
            reference=reference,
            capacity=capacity,
            acting_for=acting_for,
            company=medilab if capacity == Capacity.COMPANY_REPRESENTATIVE else None,
            message=message,
        )
        if decision:
            _decide(access_request, User.objects.get(username=decision[0]), decision[1])


def _decide(access_request, decider, what):
    if what == "ask":
        services.ask_for_information(
            actor=decider,
            access_request=access_request,
            question="Joignez l'ordonnance qui vous désigne, s'il vous plaît.",
        )
    elif what == "refuse":
        services.refuse(
            actor=decider,
            access_request=access_request,
            reason=RefusalReason.NOT_A_PARTY,
            details="U bent geen partij in dit dossier.",
        )
    else:
        case_file = CaseFile.objects.get(reference=access_request.reference)
        party = _party_for(access_request, case_file)
        chosen = what == "grant_chosen"
        services.grant(
            actor=decider,
            access_request=access_request,
            scope=AccessGrant.Scope.CHOSEN if chosen else AccessGrant.Scope.WHOLE,
            documents=list(case_file.documents.exclude(visibility="staff_only")[:1]) if chosen else [],
            valid_until=timezone.localdate() + datetime.timedelta(days=365) if chosen else None,
            party=party,
        )


def _party_for(access_request, case_file):
    """The requester's own party in the case file, or the company's for its representative."""
    parties = Party.objects.filter(case_file=case_file)
    if access_request.company_id:
        return parties.filter(company_id=access_request.company_id).first()
    return parties.filter(user=access_request.requester).first()
