"""The one place that answers "may X do Y on Z" for case files and their documents.

The portal's and the back office's views ask here (templates get the answers from them, e.g. ``can``), and so
do the queries that list case files (``access.queries``, ``deposits.queries``); a REST API must too:
:func:`get_abilities` for a case file, :func:`document_index` and
:func:`visible_documents` for its documents, :func:`document_for_download` for one document,
:func:`case_file_filter` to list case files. A person reaches a case file only through an active grant (not
revoked, not expired, and for a company's representative only while the representation is confirmed); staff
reach the case files of their units. Whatever is not reachable is reported as absent (404), never as forbidden.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from eservices.casefiles.models import CaseFile, Document, Party
from eservices.identity.queries import companies_represented_by
from eservices.units import staff as unit_staff
from eservices.units.staff import is_staff_of

from .models import AccessGrant, AccessRequest

# The capacity written in the audit trail and the evidence when staff act; their unit goes in the details.
STAFF_CAPACITY = "staff"


def active_grants(user, today=None):
    """The user's grants that work today."""
    if not user.is_authenticated:
        return AccessGrant.objects.none()
    return (
        AccessGrant.objects.active(today)
        .filter(user=user)
        .filter(Q(company__isnull=True) | Q(company__in=companies_represented_by(user)))
    )


def staff_case_file_filter(user):
    """A filter on case files: those of the user's units."""
    return unit_staff.of_my_units(user)


def case_file_filter(user, *, as_staff=True):
    """A filter on case files: those an active grant of the user covers and, ``as_staff``, those of their units."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    granted = Q(pk__in=active_grants(user).values("case_file_id"))
    if not as_staff:
        return granted
    return staff_case_file_filter(user) | granted


def grant_for(user, case_file):
    """The user's active grant on the case file (the most recent one), with its party, or None."""
    return (
        active_grants(user).filter(case_file=case_file).select_related("party").order_by("-granted_at", "-id").first()
    )


def get_abilities(user, case_file, *, grant=None, staff=None):
    """What the user may do on the case file, as a dict of booleans; ``capacity`` names the capacity.

    ``grant`` and ``staff`` may be passed when the caller already knows them, to save queries.
    """
    staff = is_staff_of(user, case_file.unit_id) if staff is None else staff
    if grant is None and not staff:
        grant = grant_for(user, case_file)
    citizen = grant is not None
    return {
        "view": staff or citizen,
        "download": staff or citizen,
        # "who looked at my file": for the parties (and those who act for them), not for other grantees
        "see_consultations": staff or (citizen and grant.party_id is not None),
        "manage": staff,
        "set_visibility": staff,
        "see_history": staff,
        "revoke": staff,
        "capacity": STAFF_CAPACITY if staff else (grant.capacity if grant else ""),
    }


def case_file_for(user, case_file_id, ability="view"):
    """The case file if the user has ``ability`` on it; 404 otherwise, whether it exists or not."""
    try:
        case_file = CaseFile.objects.select_related("unit").get(pk=case_file_id)
    except (CaseFile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not get_abilities(user, case_file)[ability]:
        raise Http404
    return case_file


def document_for_staff(user, document_id):
    """A document of a case file of the user's units (with its parties); 404 otherwise."""
    try:
        document = Document.objects.select_related("case_file__unit").prefetch_related("visible_to").get(pk=document_id)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not is_staff_of(user, document.case_file.unit_id):
        raise Http404
    return document


@dataclass
class IndexEntry:
    """A line of a case file's document index as one reader sees it."""

    document: object
    available: bool
    withheld: str = ""  # why the reader cannot open it: staff_only, other_parties, outside_grant

    WITHHELD_LABELS = {
        "staff_only": _("Withheld from all parties: reserved to the staff."),
        "other_parties": _("Withheld from you: shown only to some parties."),
        "outside_grant": _("Not covered by your access."),
        "being_checked": _("Waiting for the virus scan: not available yet."),
        "removed": _("Removed at the end of its retention period."),
    }

    @property
    def withheld_label(self):
        return self.WITHHELD_LABELS.get(self.withheld, "")


def _documents(case_file):
    return (
        Document.objects.filter(case_file=case_file)
        .select_related("author_unit", "stored_file")
        .prefetch_related("visible_to")
        .order_by("document_date", "id")
    )


def document_index(user, case_file, *, grant=None, staff=None):
    """Every document of the case file as the user sees it: available, withheld (with why), or absent.

    Staff see all. For a person, a document reserved to staff or to other parties, or outside the grant's
    chosen documents, is listed as withheld, unless the unit keeps even its existence confidential.
    Two or three queries, whatever the number of documents.
    """
    staff = is_staff_of(user, case_file.unit_id) if staff is None else staff
    if staff:
        return [
            IndexEntry(document, document.is_released, _unavailable_reason(document))
            for document in _documents(case_file)
        ]
    grant = grant or grant_for(user, case_file)
    if grant is None:
        return []
    party_ids = {grant.party_id, grant.party.represents_id if grant.party else None} - {None}
    covered = set(grant.documents.values_list("pk", flat=True)) if grant.scope == AccessGrant.Scope.CHOSEN else None
    entries = []
    for document in _documents(case_file):
        if not document.is_released:
            continue
        withheld = _withheld(document, party_ids, covered, user.pk)
        if withheld and document.confidential_existence:
            continue
        entries.append(IndexEntry(document, not withheld, withheld))
    return entries


def _unavailable_reason(document):
    """Why staff cannot open a document: "" when they can."""
    if document.is_released:
        return ""
    return "removed" if not document.file else "being_checked"


def _withheld(document, party_ids, covered, user_id=None):
    if user_id is not None and document.deposited_by_id == user_id:
        return ""  # the person's own deposited file, attached by staff: its depositor always sees it
    if document.visibility == Document.Visibility.STAFF_ONLY:
        return "staff_only"
    if document.visibility == Document.Visibility.SOME_PARTIES and not party_ids & {
        party.pk for party in document.visible_to.all()
    }:
        return "other_parties"
    if covered is not None and document.pk not in covered:
        return "outside_grant"
    return ""


def latest_available_document_at(user, case_files):
    """For each of the case files (a page of "Mes dossiers"): when the latest document the user may open was added,
    as ``{case_file_id: datetime}`` (absent: none). What makes a case file "new" for a person must be a document
    that person may open, not one reserved to staff or to other parties, outside their chosen documents, or
    still being checked (issue 11). Four queries, whatever the number of case files and documents.
    """
    grants = {}
    for grant in (
        active_grants(user)
        .filter(case_file_id__in=[case_file.pk for case_file in case_files])
        .select_related("party")
        .order_by("granted_at", "id")
    ):
        grants[grant.case_file_id] = grant  # the most recent one wins, as in grant_for()
    through = AccessGrant.documents.through
    chosen = {}
    for grant_id, document_id in through.objects.filter(
        accessgrant_id__in=[grant.pk for grant in grants.values() if grant.scope == AccessGrant.Scope.CHOSEN]
    ).values_list("accessgrant_id", "document_id"):
        chosen.setdefault(grant_id, set()).add(document_id)
    latest = {}
    documents = (
        Document.objects.filter(case_file_id__in=list(grants))
        .exclude(Q(visibility=Document.Visibility.STAFF_ONLY) & ~Q(deposited_by=user))
        .select_related("stored_file")
        .prefetch_related("visible_to")
    )
    for document in documents:
        grant = grants[document.case_file_id]
        party_ids = {grant.party_id, grant.party.represents_id if grant.party else None} - {None}
        covered = chosen.get(grant.pk, set()) if grant.scope == AccessGrant.Scope.CHOSEN else None
        if document.is_released and not _withheld(document, party_ids, covered, user.pk):
            latest[document.case_file_id] = max(
                latest.get(document.case_file_id, document.created_at), document.created_at
            )
    return latest


def visible_documents(user, case_file, **known):
    """The documents of the case file the user may open and download."""
    return [entry.document for entry in document_index(user, case_file, **known) if entry.available]


def document_for_download(user, document_id):
    """The document and the capacity in which the user downloads it; 404 if the user may not, or it is absent.

    Few queries (issue 15): the document with its case file and unit, the staff check, the grant; the parties a
    document is shown to and a grant's chosen documents only when its visibility or scope asks for them."""
    try:
        document = Document.objects.select_related("case_file__unit", "stored_file").get(pk=document_id)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not document.is_released:
        raise Http404
    case_file = document.case_file
    if is_staff_of(user, case_file.unit_id):
        return document, STAFF_CAPACITY
    grant = grant_for(user, case_file)
    if grant is None:
        raise Http404
    party_ids = {grant.party_id, grant.party.represents_id if grant.party else None} - {None}
    covered = (
        set(grant.documents.filter(pk=document.pk).values_list("pk", flat=True))
        if grant.scope == AccessGrant.Scope.CHOSEN
        else None
    )
    if _withheld(document, party_ids, covered, user.pk):
        raise Http404
    return document, grant.capacity


def suggested_party(access_request):
    """The party of the case file the requester most likely is: their own account, their company, their
    national register number (keyed hash); None when nothing matches. Staff confirm it when they grant."""
    if access_request.case_file_id is None:
        return None
    requester = access_request.requester
    match = Q(user=requester)
    if access_request.company_id:
        match |= Q(company_id=access_request.company_id)
    nrn_hash = getattr(requester, "nrn_hash", "")  # identity's User.nrn_hash, once the login issue lands
    if nrn_hash:
        match |= Q(nrn_hash=nrn_hash)
    return Party.objects.filter(match, case_file_id=access_request.case_file_id).order_by("id").first()


def requests_for_staff(user):
    """Access requests waiting in (or decided by) the user's units."""
    return AccessRequest.objects.filter(unit_staff.of_my_units(user))


def request_for_staff(user, request_id):
    """One access request of the user's units; 404 otherwise."""
    try:
        return (
            requests_for_staff(user)
            .select_related("requester", "case_file__unit", "unit", "company", "decided_by")
            .get(pk=request_id)
        )
    except (AccessRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def request_for_requester(user, request_id):
    """One of the user's own access requests; 404 otherwise."""
    if not user.is_authenticated:
        raise Http404
    try:
        return AccessRequest.objects.select_related("unit").get(pk=request_id, requester=user)
    except (AccessRequest.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def grant_for_staff(user, grant_id):
    """A grant on a case file of the user's units; 404 otherwise."""
    try:
        return AccessGrant.objects.select_related("case_file", "user").get(
            unit_staff.of_my_units(user, "case_file__unit"), pk=grant_id
        )
    except (AccessGrant.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
