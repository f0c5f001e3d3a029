"""Reads of case files through a person's grants: "Mes dossiers" and who consulted a case file.

They live here rather than in ``casefiles.queries`` because they read grants (this app), and access sits on the
floor above the case files (docs/architecture.md).
"""

from collections.abc import Iterable

from django.db.models import OuterRef, Q, QuerySet, Subquery

from eservices.audit.models import AuditEvent
from eservices.casefiles.models import CaseFile, Document
from eservices.identity.types import Actor
from eservices.units.models import Unit

from . import abilities


def case_files_for_person(
    user: Actor, *, search: str = "", status: str = "", unit: str = "", kind: str = ""
) -> QuerySet[CaseFile]:
    """The case files the user's grants cover ("Mes dossiers"; staff work in the back office), each with its
    last visit and its latest document.

    One query whatever the number of case files: the grant's last visit is an annotation (what is new for the
    reader: :func:`is_new`).
    """
    grants = abilities.active_grants(user).filter(case_file=OuterRef("pk")).order_by("-granted_at")
    case_files = (
        CaseFile.objects.filter(abilities.case_file_filter(user, as_staff=False))
        .select_related("unit")
        .annotate(
            last_visited_at=Subquery(grants.values("last_visited_at")[:1]),
            granted_at=Subquery(grants.values("granted_at")[:1]),
            capacity=Subquery(grants.values("capacity")[:1]),
        )
        .order_by("-opened_on", "reference")
    )
    if search:
        case_files = case_files.filter(Q(reference__icontains=search) | Q(subject__icontains=search))
    if status:
        case_files = case_files.filter(status=status)
    if unit:
        case_files = case_files.filter(unit__code=unit)
    if kind:
        case_files = case_files.filter(kind=kind)
    return case_files


def mark_new(user: Actor, case_files: Iterable[CaseFile]) -> None:
    """Set ``is_new`` on each case file of a page: never opened since access was given, or a document the user may
    open added since the last visit (a fixed number of queries for the page)."""
    latest = abilities.latest_available_document_at(user, case_files)
    for case_file in case_files:
        added = latest.get(case_file.pk)
        last_visit = case_file.last_visited_at  # type: ignore[attr-defined]  # annotated by case_files_for_person
        case_file.is_new = last_visit is None or (added is not None and added > last_visit)  # type: ignore[attr-defined]


def consultations(case_file: CaseFile, *, reader: Actor, limit: int = 500) -> list[AuditEvent]:
    """Who opened the case file or downloaded its documents, as the trail recorded it (latest first).

    Downloads are shown only for the documents ``reader`` may open: a download names its document, and a
    document reserved to staff or to other parties (or whose very existence is confidential) must not be
    named to a party through this log. Staff of the unit see every download.
    Staff appear by their unit only: each row gets ``who`` (a name, or a unit's name) and ``what``.
    """
    downloads = Q(action="evidence.downloaded", details__case_file=case_file.pk)
    if not abilities.is_staff_of(reader, case_file.unit_id):
        readable = [str(document.pk) for document in abilities.visible_documents(reader, case_file, staff=False)]
        downloads &= Q(object_type=Document._meta.label_lower, object_id__in=readable)
    events = list(
        AuditEvent.objects.filter(
            Q(action="casefile.consulted", object_type=CaseFile._meta.label_lower, object_id=str(case_file.pk))
            | downloads
        ).order_by("-occurred_at", "-id")[:limit]
    )
    codes = {event.details.get("unit") for event in events if event.capacity == abilities.STAFF_CAPACITY}
    units = {unit.code: unit.name for unit in Unit.objects.filter(code__in=codes - {None})}
    for event in events:  # what the template shows of each (attributes of the page, not of the model)
        staff = event.capacity == abilities.STAFF_CAPACITY
        event.who = units.get(event.details.get("unit"), "") if staff else event.actor_label  # type: ignore[attr-defined]
        event.is_staff = staff  # type: ignore[attr-defined]
    return events
