"""The audit trail: an append-only, hash-chained record of who did what, in which capacity, on what."""

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The columns the sequencer fills, once, when it seals an entry into the chain (``services.seal_pending``).
SEAL_FIELDS = ("sequence", "previous_hash", "entry_hash", "seal", "sealed_at")

APPEND_ONLY = "audit.AuditEvent:append_only"


def append_only():
    """Rows of the checkpoints are never updated or deleted: on PostgreSQL a trigger refuses it."""
    return pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)


def sealed_once():
    """Rows of the trail are never deleted, and updated only once: by the sequencer, which fills the seal columns
    while they are all empty and changes nothing else. On PostgreSQL a trigger refuses anything else."""
    seal_columns = ", ".join(f"'{name}'" for name in SEAL_FIELDS)
    empty_before = " AND ".join(f"OLD.{name} IS NULL" for name in SEAL_FIELDS)
    filled_after = " AND ".join(f"NEW.{name} IS NOT NULL" for name in SEAL_FIELDS)
    return pgtrigger.Trigger(
        name="append_only",
        when=pgtrigger.Before,
        operation=pgtrigger.Update | pgtrigger.Delete,
        func=pgtrigger.Func(
            f"""
            IF TG_OP = 'UPDATE' AND {empty_before} AND {filled_after}
               AND (to_jsonb(NEW) - ARRAY[{seal_columns}]) = (to_jsonb(OLD) - ARRAY[{seal_columns}]) THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION
                'pgtrigger: Cannot update or delete rows from % table (append-only: only an empty seal is filled)',
                TG_TABLE_NAME;
            """
        ),
    )


class AuditEvent(models.Model):
    """One security-relevant event, chained to the one before it (see ``chain.py``).

    A request only inserts the entry (no lock: the database assigns its id), with a stamp showing the portal
    wrote it; the sequencer then seals it into the chain, in batches: it gives it its ``sequence`` (its sealed
    position, the order readers of the trail and of the evidence feed follow), the hash of the entry before it,
    its own hash and its seal. The object is kept as a label, an id and a text rather than a foreign key, so
    that the trail outlives what it speaks of.
    """

    sequence = models.PositiveBigIntegerField(_("sequence number"), unique=True, null=True, blank=True)
    previous_hash = models.CharField(_("hash of the previous entry"), max_length=64, null=True, blank=True)  # noqa: DJ001 - NULL until sealed, filled once
    entry_hash = models.CharField(_("hash of this entry"), max_length=64, null=True, blank=True)  # noqa: DJ001 - NULL until sealed, filled once
    seal = models.CharField(_("seal"), max_length=64, null=True, blank=True)  # noqa: DJ001 - NULL until sealed, filled once
    sealed_at = models.DateTimeField(_("sealed at"), null=True, blank=True)
    stamp = models.CharField(_("stamp"), max_length=64, blank=True, db_default="")
    occurred_at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor as shown"), max_length=200, blank=True)
    capacity = models.CharField(_("capacity"), max_length=40, blank=True)
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    unit_code = models.CharField(_("unit"), max_length=10, blank=True, db_index=True)
    client_address = models.GenericIPAddressField(_("client address"), null=True, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["sequence"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            # The sequencer's queue: the entries not sealed yet, in the order the database gave them.
            models.Index(fields=["id"], condition=models.Q(sequence__isnull=True), name="audit_unsealed_idx"),
        ]
        triggers = [sealed_once()]

    def __str__(self):
        position = f"#{self.sequence}" if self.sequence is not None else f"(id {self.pk}, not sealed yet)"
        return f"{position} {self.occurred_at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_repr}"


class AuditCheckpoint(models.Model):
    """The head of the chain (sequence number and hash) at one moment.

    A later cut of the chain's end is found by comparing the chain with its last checkpoint. ``digest`` is
    what the time-stamping authority signs; ``timestamp_token`` holds its RFC 3161 token, obtained through the
    signing app before the row is written since rows are never updated.
    """

    created_at = models.DateTimeField(_("time"))
    sequence = models.PositiveBigIntegerField(_("sequence number of the head"))
    entry_hash = models.CharField(_("hash of the head"), max_length=64)
    digest = models.CharField(_("digest of the checkpoint"), max_length=64)
    timestamp_token = models.BinaryField(_("time-stamp token (RFC 3161)"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")
        ordering = ["id"]
        triggers = [append_only()]

    def __str__(self):
        return f"#{self.sequence} {self.entry_hash[:12]} ({self.created_at:%Y-%m-%d %H:%M:%S})"
