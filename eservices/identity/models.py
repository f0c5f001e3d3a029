"""People and companies who use the portal, and the capacities they act in."""

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login account: a citizen identified by the federal authentication service, or a staff member.

    Citizens log in through OpenID Connect; the few local accounts are break-glass administrators.
    """

    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=[("fr", "Français"), ("nl", "Nederlands"), ("de", "Deutsch"), ("en", "English")],
        default="fr",
    )
    # The national register number: a keyed hash to find the person, and an encrypted copy (identity/crypto.py).
    nrn_hash = models.CharField(_("national number lookup hash"), max_length=64, blank=True, db_index=True)
    nrn_encrypted = models.TextField(_("national number, encrypted"), blank=True)
    email_confirmed_at = models.DateTimeField(_("alert e-mail confirmed at"), null=True, blank=True)
    # Sessions opened before this moment are ended (account disabled, sessions killed by an administrator).
    sessions_valid_after = models.DateTimeField(_("sessions valid after"), null=True, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username


class OidcAccount(models.Model):
    """The login key of a person at one identity provider: (issuer, subject), never the national number."""

    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="oidc_accounts", verbose_name=_("user"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_login_at = models.DateTimeField(_("last login at"), null=True, blank=True)

    class Meta:
        verbose_name = _("identity provider account")
        verbose_name_plural = _("identity provider accounts")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="unique_oidc_account")]

    def __str__(self):
        return f"{self.subject} @ {self.issuer}"


def validate_company_number(value):
    """A BCE/KBO number: ten digits starting with 0 or 1, the last two being 97 minus the first eight modulo 97."""
    digits = "".join(ch for ch in value or "" if ch.isdigit())
    if len(digits) != 10 or digits[0] not in "01" or 97 - int(digits[:8]) % 97 != int(digits[8:]):
        raise ValidationError(_("This is not a valid company number (BCE/KBO)."), code="invalid_company_number")


def normalise_company_number(value):
    return "".join(ch for ch in value or "" if ch.isdigit())


class Company(models.Model):
    """A legal person concerned by a procedure, identified by its company number (BCE/KBO)."""

    company_number = models.CharField(_("company number (BCE/KBO)"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.company_number})"


class Capacity(models.TextChoices):
    """The role in which someone acts for a case file; one list that every app reuses."""

    CONCERNED_PERSON = "concerned_person", _("Concerned person")
    COMPANY_REPRESENTATIVE = "company_representative", _("Representative of a company")
    LAWYER = "lawyer", _("Lawyer or counsel of a party")
    SERVICE_LAWYER = "service_lawyer", _("Lawyer of the Service")
    AUTHORISED_THIRD_PARTY = "authorised_third_party", _("Legally authorised third party")


class Representation(models.Model):
    """A person acting for a company, once staff confirmed it on a supporting document or a mandate source
    asserted it; representations end, and an ended one gives no access."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        CONFIRMED = "confirmed", _("Confirmed")
        REFUSED = "refused", _("Refused")
        ENDED = "ended", _("Ended")

    class Source(models.TextChoices):
        STAFF = "staff", _("Confirmed by staff")
        MANDATE_SOURCE = "mandate_source", _("Asserted by a mandate source")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="representations", verbose_name=_("person"))
    company = models.ForeignKey(
        Company, on_delete=models.CASCADE, related_name="representations", verbose_name=_("company")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.REQUESTED)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.STAFF)
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("decided by")
    )
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    # The supporting document, received through the intake pipeline (type by content, antivirus, generated key).
    document = models.ForeignKey(
        "intake.StoredFile",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supporting document"),
    )

    class Meta:
        verbose_name = _("representation")
        verbose_name_plural = _("representations")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "company"],
                condition=models.Q(status__in=["requested", "confirmed"]),
                name="one_live_representation_per_company",
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.company} ({self.get_status_display()})"
