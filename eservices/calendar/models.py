"""The one legal calendar of the portal: the legal holidays the ``holidays`` package lacks, and the days a registry
is closed (informative only). See docs/deadlines.md."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from eservices.units.models import Unit


class LegalHoliday(models.Model):
    """A legal holiday (Judicial Code art. 53: only these, with Saturdays and Sundays, move the last day of a time
    limit) that the ``holidays`` package does not know yet; never a bridge day. Its legal source is required."""

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    legal_source = models.CharField(
        _("legal source"),
        max_length=300,
        help_text=_("The law, decree or royal decree that makes this day a legal holiday (title, date, Moniteur)."),
    )

    class Meta:
        verbose_name = _("legal holiday")
        verbose_name_plural = _("legal holidays")
        ordering = ["date"]
        constraints = [models.CheckConstraint(condition=~models.Q(legal_source=""), name="legal_holiday_has_source")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"


class ClosingDay(models.Model):
    """A day on which a registry (or every unit, without one) is closed: a bridge day, a move. Informative: it never
    moves a legal time limit (art. 53 knows only legal holidays); an electronic deposit stays possible."""

    date = models.DateField(_("date"))
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="closing_days",
        verbose_name=_("unit"),
        help_text=_("Empty: every unit."),
    )
    name = models.CharField(_("reason"), max_length=100)

    class Meta:
        verbose_name = _("closing day")
        verbose_name_plural = _("closing days")
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["date", "unit"], name="one_closing_day_per_unit_and_date")]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name}"
