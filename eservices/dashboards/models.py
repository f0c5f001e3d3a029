"""What the dashboards need besides the portal's own data: the paper items staff record, the points of attention
they write for the semester report, and the reports built in the background."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from eservices.units.models import Unit


class PaperExchange(models.Model):
    """Paper items a unit sent or received outside the portal on one day (the portal counts its own exchanges)."""

    class Direction(models.TextChoices):
        SENT = "sent", _("Sent on paper")
        RECEIVED = "received", _("Received on paper")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    occurred_on = models.DateField(_("date"))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    count = models.PositiveIntegerField(_("number of items"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("paper exchange")
        verbose_name_plural = _("paper exchanges")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["unit", "occurred_on"], name="paper_exchange_unit_day_idx")]
        constraints = [models.CheckConstraint(condition=models.Q(count__gte=1), name="paper_exchange_count_positive")]

    def __str__(self):
        return f"{self.unit_id} {self.occurred_on} {self.direction} {self.count}"
