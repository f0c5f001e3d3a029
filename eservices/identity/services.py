"""Identity use cases: logging in, the alert address, languages, representations, staff and their sessions.

Each use case is atomic and writes its audit event in the same transaction; e-mails leave after commit.
"""

import hashlib
import logging
import uuid

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from eservices.audit.services import record
from eservices.intake import policies
from eservices.intake import services as intake_services
from eservices.notifications.services import queue_email
from eservices.units import staff
from eservices.units.models import StaffMembership, StaffRole

from . import crypto, mandates, nrn
from .models import Company, OidcAccount, Representation, User, normalise_company_number, validate_company_number
from .oidc import LoginError

logger = logging.getLogger(__name__)

EMAIL_CONFIRMATION_SALT = "identity.email-confirmation"
EMAIL_CONFIRMATION_MAX_AGE = 3 * 24 * 3600
LANGUAGES = {"fr", "nl", "de", "en"}


# ---------------------------------------------------------------------------------------------------- login


@transaction.atomic
def log_in_with_oidc(*, identity, request=None):
    """The user behind a verified OIDC identity: found by (issuer, subject), created at the first login.

    A person provisioned beforehand (staff, demo) who never logged in is found once by the national number's
    hash; after that only (issuer, subject) counts, so another provider's subject never opens this account.
    """
    account = OidcAccount.objects.select_related("user").filter(issuer=identity.issuer, subject=identity.subject)
    account = account.first()
    lookup = nrn.lookup_hash(identity.national_number)
    created = False
    if account is None:
        user = User.objects.filter(nrn_hash=lookup, oidc_accounts__isnull=True).order_by("pk").first()
        if user is None:
            user = User(username=f"oidc-{uuid.uuid4().hex[:20]}", preferred_language=_language(identity.language))
            user.set_unusable_password()
            created = True
        account = OidcAccount(issuer=identity.issuer, subject=identity.subject, user=user)
    user = account.user
    if not user.is_active:
        raise LoginError("account_disabled", f"user {user.pk}")
    user.first_name = identity.given_name or user.first_name
    user.last_name = identity.surname or user.last_name
    user.nrn_hash = lookup
    user.nrn_encrypted = crypto.encrypt_nrn(identity.national_number)
    new_email = bool(identity.email) and not user.email  # an address the person chose stays theirs
    if new_email:
        user.email = identity.email
    user.last_login = timezone.now()
    user.save()
    account.user = user
    account.last_login_at = timezone.now()
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError as error:  # the same first login, twice at once: the other one won
        raise LoginError("state_mismatch", "concurrent first login") from error
    if new_email:
        send_email_confirmation(user)
    sync_mandates(user=user, national_number=identity.national_number)
    record(
        "login.succeeded",
        actor=user,
        request=request,
        details={
            "method": "oidc",
            "acr": identity.acr,
            "issuer": identity.issuer,
            "nrn": nrn.mask(identity.national_number),
            "created": created,
        },
    )
    logger.info("login of user %s (%s) at %s", user.pk, nrn.mask(identity.national_number), identity.acr)
    return user


def _language(value):
    return value if value in LANGUAGES else settings.LANGUAGE_CODE


def record_login_failure(*, request, reason, detail="", username=""):
    """A refused login: audited, with the reason code and no national number."""
    record("login.failed", request=request, details={"reason": reason, "detail": detail[:300], "username": username})
    logger.warning("login refused: %s %s", reason, detail[:300])


def record_logout(*, request):
    record("logout", request=request)


def record_session_ended(*, user, reason, request=None):
    """A session ended by the session middleware (idle, past its lifetime, or revoked), recorded before logout."""
    record("session.ended", actor=user, request=request, details={"reason": reason})


@transaction.atomic
def record_personal_data_export(*, actor, counts, request=None):
    """The person downloads what the portal holds about them ("My data"); recorded with the counts before the
    first byte leaves."""
    record(
        "personal_data.exported",
        actor=actor,
        capacity="data_subject",
        target=actor,
        request=request,
        details={"counts": counts},
    )


@transaction.atomic
def record_personal_data_view(*, actor, request=None):
    """The person reads what the portal holds about them as a page ("My data"); recorded like the download."""
    record("personal_data.viewed", actor=actor, capacity="data_subject", target=actor, request=request)


# ------------------------------------------------------------------------------------- local staff accounts
# The account lockout is counted here, per account, from the first failure for STAFF_LOCKOUT_SECONDS; the per-address
# rate of the login views is django-ratelimit's. Kept apart on purpose: django-ratelimit's windows are fixed (a lockout
# reached at the end of one would last seconds) and RATELIMIT_ENABLE switches them off, which must not switch off a
# lockout. django-axes would be the one mechanism for both (its own models, backend and middleware): a follow-up.


def _failures_key(username):
    return f"identity:login-failures:{hashlib.sha256(username.lower().encode()).hexdigest()}"


def is_locked_out(username):
    return cache.get(_failures_key(username), 0) >= settings.STAFF_LOCKOUT_FAILURES


def local_login_failed(*, request, username, reason):
    """Counts a failed password or second factor; the account locks for STAFF_LOCKOUT_SECONDS after too many."""
    key = _failures_key(username)
    cache.add(key, 0, settings.STAFF_LOCKOUT_SECONDS)
    failures = cache.incr(key)
    record_login_failure(request=request, reason=reason, username=username[:150])
    if reason == "otp_failed":
        record("otp.failed", request=request, details={"username": username[:150]})
    if failures == settings.STAFF_LOCKOUT_FAILURES:
        record("login.locked_out", request=request, details={"username": username[:150]})


def local_login_succeeded(*, request, user, device):
    cache.delete(_failures_key(user.username))
    record("otp.verified", actor=user, request=request, details={"device": device.persistent_id})
    record("login.succeeded", actor=user, request=request, details={"method": "local_otp"})


# ---------------------------------------------------------------------------------- alert address, language


def _email_digest(email):
    return hashlib.sha256(email.lower().encode()).hexdigest()[:32]


def send_email_confirmation(user):
    """Queue the mail with the signed link that confirms ``user.email`` as the alert address."""
    token = signing.dumps({"u": user.pk, "e": _email_digest(user.email)}, salt=EMAIL_CONFIRMATION_SALT)
    link = settings.SITE_URL + reverse("identity:confirm_email", kwargs={"token": token})
    queue_email(
        template="identity/email/confirm_address",
        to=user.email,
        language=user.preferred_language,
        context={"name": user.get_full_name(), "link": link},
    )


@transaction.atomic
def change_email(*, actor, email):
    """A new alert address: unconfirmed (no alert goes to it) until its link is followed."""
    if email == actor.email and actor.email_confirmed_at:
        return actor
    actor.email = email
    actor.email_confirmed_at = None
    actor.save(update_fields=["email", "email_confirmed_at"])
    record("identity.email_changed", actor=actor, target=actor)
    if email:
        send_email_confirmation(actor)
    return actor


@transaction.atomic
def confirm_email(*, actor, token):
    """Follow a confirmation link: valid for three days, for this person and the address it was sent to."""
    try:
        payload = signing.loads(token, salt=EMAIL_CONFIRMATION_SALT, max_age=EMAIL_CONFIRMATION_MAX_AGE)
    except signing.BadSignature:
        raise ValidationError(_("This confirmation link is not valid or has expired.")) from None
    if payload.get("u") != actor.pk or not actor.email or payload.get("e") != _email_digest(actor.email):
        raise ValidationError(_("This confirmation link is not valid or has expired."))
    if not actor.email_confirmed_at:
        actor.email_confirmed_at = timezone.now()
        actor.save(update_fields=["email_confirmed_at"])
        record("identity.email_confirmed", actor=actor, target=actor)
    return actor


@transaction.atomic
def set_language(*, actor, language):
    if language not in LANGUAGES:
        raise ValidationError(_("Choose one of the languages offered."))
    actor.preferred_language = language
    actor.save(update_fields=["preferred_language"])
    record("identity.language_changed", actor=actor, target=actor, details={"language": language})
    return actor


# --------------------------------------------------------------------------------------- representations


def request_representation(*, actor, company_number, company_name, document, request=None):
    """A person asks to act for a company; staff decide on the supporting document.

    The document goes through the intake pipeline first (a PDF by content, scanned, stored under a generated
    key); a refused file refuses the request, and a request that cannot be recorded withdraws its file.
    """
    validate_company_number(company_number)
    company_number = normalise_company_number(company_number)
    live = Representation.objects.filter(
        user=actor, company__company_number=company_number, status__in=["requested", "confirmed"]
    )
    if live.exists():
        raise ValidationError(_("You already have a request or a representation for this company."))
    result = intake_services.receive(document, policy=policies.SUPPORTING_DOCUMENT, actor=actor, request=request)
    if not result.accepted:
        raise ValidationError(result.reason)
    try:
        return _record_request(actor, company_number, company_name, result.stored_file, request)
    except Exception:
        intake_services.discard(result.stored_file, actor=actor, request=request)
        raise


@transaction.atomic
def _record_request(actor, company_number, company_name, stored_file, request):
    company, _created = Company.objects.get_or_create(company_number=company_number, defaults={"name": company_name})
    representation = Representation.objects.create(user=actor, company=company, document=stored_file)
    record("representation.requested", actor=actor, target=representation, request=request)
    return representation


# A representation opens every case file and mailbox of the company, in every unit: it is decided by the staff who
# answer for more than one file (unit leads and functional administrators), never by the person who asked for it.
REPRESENTATION_DECIDERS = (StaffRole.UNIT_LEAD, StaffRole.ADMINISTRATOR)


def may_decide_representations(actor) -> bool:
    """Whether the actor's role lets them decide representation requests (those of others only)."""
    return staff.is_staff(actor, roles=REPRESENTATION_DECIDERS)


@transaction.atomic
def decide_representation(*, actor, representation, confirm, request=None):
    """Four eyes: a unit lead or functional administrator who is not the requester confirms or refuses."""
    if not may_decide_representations(actor) or representation.user_id == actor.pk:
        raise PermissionDenied
    representation = Representation.objects.select_for_update().get(pk=representation.pk)
    if representation.status != Representation.Status.REQUESTED:
        raise ValidationError(_("This request was already decided."))
    representation.status = Representation.Status.CONFIRMED if confirm else Representation.Status.REFUSED
    representation.decided_at = timezone.now()
    representation.decided_by = actor
    representation.save(update_fields=["status", "decided_at", "decided_by"])
    record(f"representation.{representation.status}", actor=actor, target=representation, request=request)
    return representation


def record_representation_document_download(*, actor, representation, request=None):
    """A decider downloads a representation's supporting document; only those who may decide read it."""
    if not may_decide_representations(actor):
        raise PermissionDenied
    record("representation.document_downloaded", actor=actor, target=representation, request=request)


@transaction.atomic
def end_representation(*, actor, representation, request=None):
    """The person (or a decider of representations) ends a representation; it gives no access from now on."""
    if representation.user_id != actor.pk and not may_decide_representations(actor):
        raise PermissionDenied
    representation = Representation.objects.select_for_update().get(pk=representation.pk)
    if representation.status not in (Representation.Status.REQUESTED, Representation.Status.CONFIRMED):
        raise ValidationError(_("This representation has already ended."))
    representation.status = Representation.Status.ENDED
    representation.ended_at = timezone.now()
    representation.save(update_fields=["status", "ended_at"])
    record("representation.ended", actor=actor, target=representation, request=request)
    return representation


@transaction.atomic
def sync_mandates(*, user, national_number):
    """Make the mandate source's answer true: confirm what it asserts, end what it no longer asserts."""
    source = mandates.configured_source()
    if source is None:
        return
    try:
        asserted = source.mandates_for(national_number)
    except Exception:  # noqa: BLE001 - a source that is down leaves the representations as they are
        logger.exception("mandate source failed for user %s", user.pk)
        return
    numbers = set()
    for mandate in asserted:
        number = normalise_company_number(mandate.company_number)
        try:
            validate_company_number(number)
        except ValidationError:
            logger.warning("mandate source gave an invalid company number for user %s", user.pk)
            continue
        numbers.add(number)
        company, _created = Company.objects.get_or_create(
            company_number=number, defaults={"name": mandate.company_name}
        )
        live = Representation.objects.filter(user=user, company=company, status__in=["requested", "confirmed"])
        if live.filter(status=Representation.Status.CONFIRMED).exists():
            continue
        live.update(status=Representation.Status.ENDED, ended_at=timezone.now())
        representation = Representation.objects.create(
            user=user,
            company=company,
            status=Representation.Status.CONFIRMED,
            source=Representation.Source.MANDATE_SOURCE,
            decided_at=timezone.now(),
        )
        record("representation.asserted", actor=user, target=representation)
    stale = Representation.objects.filter(
        user=user, source=Representation.Source.MANDATE_SOURCE, status=Representation.Status.CONFIRMED
    ).exclude(company__company_number__in=numbers)
    for representation in stale:
        representation.status = Representation.Status.ENDED
        representation.ended_at = timezone.now()
        representation.save(update_fields=["status", "ended_at"])
        record("representation.ended", actor=user, target=representation, details={"by": "mandate_source"})


# ------------------------------------------------------------------------------------ staff and sessions


@transaction.atomic
def end_sessions(*, actor, user, request=None):
    """Ends every session the user has open now (checked by the session middleware on their next request)."""
    staff.require_administrator(actor)
    user.sessions_valid_after = timezone.now()
    user.save(update_fields=["sessions_valid_after"])
    record("identity.sessions_ended", actor=actor, target=user, request=request)


@transaction.atomic
def set_active(*, actor, user, active, request=None):
    """Disabling an account also ends its sessions."""
    staff.require_administrator(actor)
    user.is_active = active
    user.save(update_fields=["is_active"])
    record("identity.enabled" if active else "identity.disabled", actor=actor, target=user, request=request)
    if not active:
        end_sessions(actor=actor, user=user, request=request)


@transaction.atomic
def add_membership(*, actor, user, unit, role, request=None):
    staff.require_administrator(actor)
    if staff.is_staff_of(user, unit):
        raise ValidationError(_("This person is already a member of this unit."))
    membership = StaffMembership.objects.create(user=user, unit=unit, role=role)
    record("staff.membership_added", actor=actor, target=membership, request=request, details={"role": role})
    return membership


@transaction.atomic
def change_role(*, actor, membership, role, request=None):
    staff.require_administrator(actor)
    previous = membership.role
    membership.role = role
    membership.save(update_fields=["role"])
    record(
        "staff.role_changed", actor=actor, target=membership, request=request, details={"from": previous, "to": role}
    )
    return membership


@transaction.atomic
def remove_membership(*, actor, membership, request=None):
    staff.require_administrator(actor)
    record(
        "staff.membership_removed", actor=actor, target=membership, request=request, details={"role": membership.role}
    )
    membership.delete()
