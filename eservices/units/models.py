"""The units that own case files and the staff who belong to them."""

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Unit(models.Model):
    """The SECM, the Leading Official or one of the administrative courts' registries.

    The code is the prefix of the unit's case-file references (``SECM/2026/001234``).
    """

    class Kind(models.TextChoices):
        SERVICE = "service", _("Service (SECM)")
        LEADING_OFFICIAL = "leading_official", _("Leading Official")
        REGISTRY = "registry", _("Registry of an administrative court")

    code = models.SlugField(_("code"), max_length=10, unique=True, allow_unicode=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    name_fr = models.CharField(_("name in French"), max_length=200)
    name_nl = models.CharField(_("name in Dutch"), max_length=200)
    name_de = models.CharField(_("name in German"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["code"]

    def __str__(self):
        return self.name

    @property
    def name(self):
        """The name in the active language, falling back to French."""
        language = (get_language() or "fr")[:2]
        return getattr(self, f"name_{language}", "") or self.name_fr


class StaffRole(models.TextChoices):
    AGENT = "agent", _("SECM agent")
    REGISTRY_CLERK = "registry_clerk", _("Registry clerk")
    UNIT_LEAD = "unit_lead", _("Unit lead")
    ADMINISTRATOR = "administrator", _("Functional administrator")


class StaffMembership(models.Model):
    """A staff member's role in one unit; staff see only the units they belong to."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="unique_membership_per_unit")]

    def __str__(self):
        return f"{self.user} – {self.unit.code} ({self.get_role_display()})"
