"""Leases: one holder at a time for a singleton process, taken over when its holder stops renewing it."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .models import Lease


def acquire(name: str, holder: str, *, seconds: int) -> bool:
    """Take or renew the lease ``name`` for ``seconds``; False while another holder's lease runs.

    One conditional UPDATE decides (atomic on PostgreSQL and SQLite): two processes never both hold it.
    """
    now = timezone.now()
    expires_at = now + datetime.timedelta(seconds=seconds)
    taken = (
        Lease.objects.filter(name=name)
        .filter(Q(holder=holder) | Q(expires_at__lt=now))
        .update(holder=holder, expires_at=expires_at)
    )
    if taken:
        return True
    try:
        with transaction.atomic():
            Lease.objects.create(name=name, holder=holder, expires_at=expires_at)
    except IntegrityError:  # another process created it first: theirs
        return False
    return True


def release(name: str, holder: str) -> None:
    """Give the lease up at once (a clean stop), so that another copy takes over without waiting."""
    Lease.objects.filter(name=name, holder=holder).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
