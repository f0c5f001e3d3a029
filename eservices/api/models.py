"""Registered API clients and the answers kept for idempotency keys.

The API is a face (floor 5) but owns these two tables: they describe its callers, not the domain.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiClient(models.Model):
    """A system of the institution or of a partner court, registered by a functional administrator.

    ``application`` is its OAuth2 client (django-oauth-toolkit, client credentials); ``account`` is the account it
    acts as: a staff member of the units it is limited to, so that the services check its rights exactly as they
    check a person's. The audit trail names it as ``api:<name>`` in the capacity ``api_client``.
    """

    name = models.SlugField(_("name"), max_length=60, unique=True)
    application = models.OneToOneField(
        "oauth2_provider.Application", on_delete=models.PROTECT, related_name="api_client", verbose_name=_("client")
    )
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_client", verbose_name=_("account")
    )
    scopes = models.JSONField(_("scopes"), default=list)
    # private_key_jwt (RFC 7523): the client's public keys (a JWK Set); empty: it authenticates with its secret.
    jwks = models.JSONField(_("public keys (JWK Set)"), default=dict, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self):
        return f"api:{self.name}"


class IdempotentRequest(models.Model):
    """The first answer to a POST carrying an ``Idempotency-Key``: a retry with the same key gets it again."""

    client = models.ForeignKey(ApiClient, on_delete=models.CASCADE, related_name="+", verbose_name=_("client"))
    key = models.CharField(_("idempotency key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    status = models.PositiveSmallIntegerField(_("status"))
    body = models.JSONField(_("body"), default=dict)
    location = models.CharField(_("location"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [models.UniqueConstraint(fields=["client", "key"], name="unique_idempotency_key_per_client")]

    def __str__(self):
        return f"{self.client} {self.key}"
