"""The evidence feed: evidence events of the client's units in an order a late commit cannot change.

Ordered by the events' id (a sequence), and cut at a *frontier*: the id before the first gap in the sequence that
was first seen less than ``API_FEED_HORIZON_SECONDS`` ago. A gap is an id that a transaction took but has not
committed yet (it may still commit, with an id lower than ones already visible) or never will (rolled back,
or removed by retention). Holding the feed at a young gap means a poller never steps past an event that
appears later behind it; a gap older than the horizon is taken as final. Gaps are remembered, when first seen,
in the cache (Redis in production), so the horizon runs from when the gap was observed, not from a clock
written in the row (an event's ``occurred_at`` may be earlier than its commit).

SEALED POSITION: when the audit chain gives each entry a sealed position (issue 15), order by that position
and drop the frontier: a sealed position is assigned in commit order and never overtaken. See docs/api.md.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from eservices.casefiles.models import Document
from eservices.deposits.models import Deposit
from eservices.evidence.models import EvidenceEvent
from eservices.mailbox.models import Message
from eservices.units import staff

# How many ids past the cursor are looked at for gaps in one poll (an index-only scan of the primary key).
WINDOW = 5000


def _keys(model, user, field):
    return model.objects.filter(staff.of_my_units(user, field)).annotate(key=Cast("pk", CharField())).values("key")


def visible_to(user) -> Q:
    """Evidence about the messages, deposits and documents of the user's units."""
    return (
        Q(subject_type="mailbox.message", subject_id__in=_keys(Message, user, "unit"))
        | Q(subject_type="deposits.deposit", subject_id__in=_keys(Deposit, user, "unit"))
        | Q(subject_type="casefiles.document", subject_id__in=_keys(Document, user, "case_file__unit"))
    )


def frontier(after: int) -> int:
    """The highest id up to which the sequence can no longer change (see the module's docstring)."""
    ids = list(EvidenceEvent.objects.filter(id__gt=after).order_by("id").values_list("id", flat=True)[:WINDOW])
    now = time.time()
    horizon = settings.API_FEED_HORIZON_SECONDS
    previous, limit = after, None
    for current in ids:
        if current != previous + 1:
            first_seen = cache.get_or_set(f"api-feed-gap:{previous + 1}", now, timeout=max(3600, horizon * 10))
            if limit is None and now - (first_seen if first_seen is not None else now) < horizon:
                limit = previous  # keep looking, so that every gap of the window starts its clock now
        previous = current
    return limit if limit is not None else previous


def page(user, *, after: int, limit: int) -> tuple[list, int]:
    """Up to ``limit`` events of the user's units after ``after`` and up to the frontier, and the position to
    poll from next (past other units' events too, so a quiet client does not rescan them)."""
    end = frontier(after)
    events = list(EvidenceEvent.objects.filter(visible_to(user), id__gt=after, id__lte=end).order_by("id")[:limit])
    next_after = events[-1].id if len(events) == limit else end
    return events, next_after


def events_of(subject) -> QuerySet:
    """The evidence of one subject, oldest first."""
    return EvidenceEvent.objects.filter(subject_type=subject._meta.label_lower, subject_id=str(subject.pk)).order_by(
        "occurred_at", "id"
    )
