"""What the functional administrator edits for everybody to read: short notices and the units' contact details.

Both are written in each language; a text left blank in German or English falls back to French.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from eservices.units.models import Unit

LANGUAGE_CODES = ("fr", "nl", "de", "en")


def in_language(instance, field):
    """``field`` in the active language, falling back to French."""
    language = (get_language() or "fr")[:2]
    return getattr(instance, f"{field}_{language}", "") or getattr(instance, f"{field}_fr")


class NoticeQuerySet(models.QuerySet):
    def current(self, now=None):
        """The notices shown now: started, not ended, not withdrawn."""
        now = now or timezone.now()
        return self.filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now), starts_at__lte=now, withdrawn_at__isnull=True
        ).order_by("-starts_at")


class Notice(models.Model):
    """A short notice on the home page: planned maintenance, an outage, or other news."""

    class Kind(models.TextChoices):
        MAINTENANCE = "maintenance", _("Planned maintenance")
        OUTAGE = "outage", _("Outage")
        INFORMATION = "information", _("Information")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text_fr = models.CharField(_("text in French"), max_length=500)
    text_nl = models.CharField(_("text in Dutch"), max_length=500)
    text_de = models.CharField(_("text in German"), max_length=500, blank=True)
    text_en = models.CharField(_("text in English"), max_length=500, blank=True)
    starts_at = models.DateTimeField(_("shown from"), default=timezone.now)
    ends_at = models.DateTimeField(_("shown until"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="notice_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text_fr[:60]}"

    @property
    def text(self):
        return in_language(self, "text")


class ContactDetails(models.Model):
    """How to reach one unit, beside its e-mail address (kept on the unit)."""

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="contact", verbose_name=_("unit"))
    phone = models.CharField(_("telephone"), max_length=40, blank=True)
    address = models.TextField(_("postal address"), max_length=300, blank=True)
    hours_fr = models.CharField(_("opening hours in French"), max_length=200, blank=True)
    hours_nl = models.CharField(_("opening hours in Dutch"), max_length=200, blank=True)
    hours_de = models.CharField(_("opening hours in German"), max_length=200, blank=True)
    hours_en = models.CharField(_("opening hours in English"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contact details")
        verbose_name_plural = _("contact details")

    def __str__(self):
        return str(self.unit)

    @property
    def hours(self):
        return in_language(self, "hours")
