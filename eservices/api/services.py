"""Registering API clients: only a functional administrator may, and each registration is audited."""

import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from oauth2_provider.models import Application

from eservices.audit.services import record
from eservices.units.models import StaffMembership, StaffRole
from eservices.units.staff import require_administrator

from .models import ApiClient
from .scopes import SCOPES


@transaction.atomic
def register_client(*, actor, name, units, scopes, jwks=None, request=None) -> tuple[ApiClient, str]:
    """A new client limited to ``units`` with ``scopes``; returns it and its secret, shown only this once (the
    database keeps a hash of it). With ``jwks`` (its public keys, a JWK Set) it may also authenticate with
    ``private_key_jwt`` instead of the secret.

    The client acts as an account of its own, an agent of each of its units, so that the services check its
    rights as they check a staff member's; it has no password and no identity-provider login.
    """
    require_administrator(actor)
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown:
        raise ValidationError({"scopes": _("Unknown scopes: %(scopes)s") % {"scopes": ", ".join(unknown)}})
    if not units:
        raise ValidationError({"units": _("Choose at least one unit.")})
    if ApiClient.objects.filter(name=name).exists():
        raise ValidationError({"name": _("A client already has this name.")})
    account = get_user_model()(username=f"api:{name}"[:150], is_active=True)
    account.set_unusable_password()
    account.save()
    for unit in units:
        StaffMembership.objects.create(user=account, unit=unit, role=StaffRole.AGENT)
    secret = secrets.token_urlsafe(32)
    application = Application.objects.create(
        name=f"api:{name}",
        user=account,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
        algorithm="",
    )
    if jwks:
        try:
            KeySet.import_key_set(jwks)
        except (JoseError, ValueError, TypeError, KeyError):
            raise ValidationError({"jwks": _("These are not valid public keys (JWK Set).")}) from None
        if any("d" in key for key in jwks.get("keys", [])):
            raise ValidationError({"jwks": _("Give only public keys.")})
    client = ApiClient.objects.create(
        name=name, application=application, account=account, scopes=sorted(scopes), jwks=jwks or {}
    )
    record(
        "api.client_registered",
        actor=actor,
        target=client,
        request=request,
        details={
            "client_id": application.client_id,
            "units": sorted(unit.code for unit in units),
            "scopes": sorted(scopes),
            "private_key_jwt": bool(jwks),
        },
    )
    return client, secret


@transaction.atomic
def deactivate_client(*, actor, client, request=None) -> ApiClient:
    """Stop a client at once: its tokens are refused from the next request on."""
    require_administrator(actor)
    client.active = False
    client.save(update_fields=["active"])
    client.application.accesstoken_set.all().delete()
    record("api.client_deactivated", actor=actor, target=client, request=request)
    return client


@transaction.atomic
def record_token_issued(*, client: ApiClient, token, request=None) -> None:
    """django-oauth-toolkit issued ``token`` to ``client`` (its own credentials were the check): the trail names it."""
    if request is not None:
        request.api_client = str(client)
    record(
        "api.token_issued",
        actor=client.account,
        target=client,
        request=request,
        details={"scopes": token.scope.split(), "expires": token.expires.isoformat()},
    )
