"""Login (OpenID Connect, and the break-glass administrators' password + TOTP), logout, the profile page and
representation requests. Views stay thin: the protocol is in ``oidc``, the use cases in ``services``."""

import time
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from eservices.core import ratelimits
from eservices.core.ratelimits import ALL, rate_limited
from eservices.intake import policies
from eservices.intake import services as intake_services
from eservices.units.staff import is_staff

from . import oidc, queries, services, sessions
from .models import Representation

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
OTP_PENDING = "otp_pending"
OTP_PENDING_SECONDS = 300


def _too_many(request):
    services.record_login_failure(request=request, reason="rate_limited")
    messages.error(request, _("Too many login attempts from your connection. Please wait a minute and try again."))
    return render(request, "identity/login.html", {"next": ""}, status=429)


def _safe_next(request, value):
    if value and url_has_allowed_host_and_scheme(value, {request.get_host()}, require_https=request.is_secure()):
        return value
    return ""


@require_GET
def login(request):
    """Where a citizen or a staff member chooses how to log in."""
    return render(request, "identity/login.html", {"next": _safe_next(request, request.GET.get("next", ""))})


def _from_another_site(request):
    """A navigation another site started (a link, a redirect, a script): Sec-Fetch-Site says so, or, for a
    browser that does not send it, a Referer naming another host."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site == "cross-site"
    referer = request.headers.get("Referer")
    return bool(referer) and not url_has_allowed_host_and_scheme(referer, {request.get_host()})


@require_GET
@rate_limited("login", methods=ALL, on_limit=_too_many)
def oidc_start(request):
    """Sends the browser to the identity provider (citizens at Level450, staff at Level500).

    Only this site starts a login: a navigation from another site lands on the login page, where the person
    chooses. Otherwise a few such navigations would push the login the person has in progress out of the pending
    ones kept in the session (``oidc.PENDING_MAX``), and their return from the provider would be refused.
    """
    if _from_another_site(request):
        next_url = _safe_next(request, request.GET.get("next", ""))
        return redirect(
            f"{reverse('identity:login')}?{urlencode({'next': next_url})}" if next_url else "identity:login"
        )
    level = settings.OIDC_ACR_STAFF if request.GET.get("level") == "staff" else settings.OIDC_ACR_CITIZEN
    try:
        url = oidc.begin(request, level=level, next_url=_safe_next(request, request.GET.get("next", "")))
    except oidc.LoginError as error:
        services.record_login_failure(request=request, reason=error.code, detail=error.detail)
        messages.error(request, error.message)
        return render(request, "identity/login.html", {"next": ""}, status=503)
    return redirect(url)


@require_GET
@rate_limited("login", methods=ALL, on_limit=_too_many)
def oidc_callback(request):
    """The provider's answer: checked completely before anybody is logged in."""
    try:
        identity, next_url, level = oidc.complete(request)
        user = services.log_in_with_oidc(identity=identity, request=request)
    except oidc.LoginError as error:
        services.record_login_failure(request=request, reason=error.code, detail=error.detail)
        messages.error(request, error.message)
        return redirect("identity:login")
    auth.login(request, user, backend=MODEL_BACKEND)  # a new session key: no fixation
    sessions.mark_login(request.session, acr=identity.acr, method=sessions.OIDC)
    if not next_url:
        staff = level == settings.OIDC_ACR_STAFF and is_staff(user)
        with translation.override(user.preferred_language):  # the person's own language from now on
            next_url = reverse("backoffice:dashboard") if staff else reverse("portal:home")
    return redirect(next_url)


@require_POST
def logout(request):
    """Ends the session here, then at the identity provider (RP-initiated logout)."""
    method = request.session.get(sessions.METHOD)
    if request.user.is_authenticated:
        services.record_logout(request=request)
    auth.logout(request)
    target = oidc.logout_url() if method == sessions.OIDC else None
    return redirect(target or reverse("logged_out"))


@require_GET
def logged_out(request):
    """Where the provider sends the browser back after the logout (its address is registered there)."""
    return render(request, "identity/logged_out.html")


# ------------------------------------------------------------------- break-glass administrators: password + TOTP


class PasswordForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput, max_length=200)


class CodeForm(forms.Form):
    code = forms.RegexField(
        label=gettext_lazy("Code from your authenticator app"),
        regex=r"^\d{6,8}$",
        error_messages={"invalid": gettext_lazy("Enter the 6-digit code.")},
    )


@require_http_methods(["GET", "POST"])
@rate_limited("login", on_limit=_too_many)
def staff_login(request):
    """Step 1 of a local administrator's login: the password. Step 2 asks for the TOTP code."""
    form = PasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        username = form.cleaned_data["username"]
        if services.is_locked_out(username):
            services.record_login_failure(request=request, reason="locked_out", username=username)
            form.add_error(None, _("This account is locked for a while after too many failed attempts."))
        else:
            user = auth.authenticate(request, username=username, password=form.cleaned_data["password"])
            device = user and TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if user is None or device is None:
                services.local_login_failed(request=request, username=username, reason="bad_password")
                form.add_error(None, _("Wrong username or password, or no second factor is set up."))
            else:
                request.session[OTP_PENDING] = {"user": user.pk, "at": int(time.time())}
                return redirect("identity:staff_login_code")
    return render(request, "identity/staff_login.html", {"form": form})


@require_http_methods(["GET", "POST"])
@rate_limited("login", on_limit=_too_many)
def staff_login_code(request):
    pending = request.session.get(OTP_PENDING)
    if not pending or pending["at"] + OTP_PENDING_SECONDS < time.time():
        request.session.pop(OTP_PENDING, None)
        return redirect("identity:staff_login")
    user = get_object_or_404(auth.get_user_model(), pk=pending["user"], is_active=True)
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if services.is_locked_out(user.username):
            services.record_login_failure(request=request, reason="locked_out", username=user.username)
            request.session.pop(OTP_PENDING, None)
            messages.error(request, _("This account is locked for a while after too many failed attempts."))
            return redirect("identity:staff_login")
        if form.is_valid():
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            # verify_token refuses a code whose time step was already used: each code counts once.
            if device is not None and device.verify_token(form.cleaned_data["code"]):
                request.session.pop(OTP_PENDING, None)
                auth.login(request, user, backend=MODEL_BACKEND)
                otp_login(request, device)
                sessions.mark_login(request.session, acr="", method=sessions.LOCAL_OTP)
                services.local_login_succeeded(request=request, user=user, device=device)
                return redirect("backoffice:dashboard")
            services.local_login_failed(request=request, username=user.username, reason="otp_failed")
            form.add_error(None, _("This code is not valid (or was already used)."))
    return render(request, "identity/staff_login_code.html", {"form": form})


# ----------------------------------------------------------------------------------------------- the profile


class ProfileForm(forms.Form):
    preferred_language = forms.ChoiceField(
        label=gettext_lazy("Language of the portal and of e-mails"), choices=settings.LANGUAGES
    )
    email = forms.EmailField(label=gettext_lazy("E-mail address for alerts"), required=False)


def _email_change_allowed(request, form):
    """A new address sends a confirmation mail: rate-limited per account, client address and address written."""
    email = form.cleaned_data["email"]
    if not email or email == request.user.email:
        return True
    if ratelimits.exceeded(request, "email_change", address=email):
        form.add_error("email", _("Too many address changes: try again in an hour. Nothing was changed."))
        return False
    return True


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    form = ProfileForm(
        request.POST or None, initial={"preferred_language": user.preferred_language, "email": user.email}
    )
    if request.method == "POST" and form.is_valid() and _email_change_allowed(request, form):
        services.set_language(actor=user, language=form.cleaned_data["preferred_language"])
        if form.cleaned_data["email"] != user.email:
            services.change_email(actor=user, email=form.cleaned_data["email"])
            if form.cleaned_data["email"]:
                messages.info(request, _("We sent a link to this address: alerts go to it once you follow it."))
        messages.success(request, _("Your preferences are saved."))
        with translation.override(form.cleaned_data["preferred_language"]):
            return redirect(reverse("identity:profile"))
    return render(
        request,
        "identity/profile.html",
        {
            "form": form,
            "alert_address": queries.alert_address(user),
            "representations": queries.representations_of(user),
        },
    )


@login_required
@require_GET
def confirm_email(request, token):
    try:
        services.confirm_email(actor=request.user, token=token)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Your e-mail address is confirmed: alerts will be sent to it."))
    return redirect("identity:profile")


class RepresentationForm(forms.Form):
    company_number = forms.CharField(label=gettext_lazy("Company number (BCE/KBO)"), max_length=14)
    company_name = forms.CharField(label=gettext_lazy("Company name"), max_length=200)
    document = forms.FileField(
        label=gettext_lazy("Supporting document (PDF): statutes, publication in the Belgian Official Gazette, proxy")
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_representation(request):
    form = RepresentationForm(request.POST or None, request.FILES or None)
    cut = request.method == "POST" and intake_services.refuse_cut_upload(
        request, policy=policies.SUPPORTING_DOCUMENT, actor=request.user
    )
    if cut:  # the upload handler stopped reading at the size limit: say so, keep nothing
        form = RepresentationForm(request.POST)
        form.add_error(None, cut.reason)
    elif request.method == "POST" and form.is_valid():
        try:
            services.request_representation(
                actor=request.user,
                company_number=form.cleaned_data["company_number"],
                company_name=form.cleaned_data["company_name"],
                document=form.cleaned_data["document"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your request was sent. The SECM will check the document."))
            return redirect("identity:profile")
    return render(request, "identity/representation_request.html", {"form": form})


@login_required
@require_POST
def end_representation(request, pk):
    representation = get_object_or_404(Representation, pk=pk, user=request.user)
    try:
        services.end_representation(actor=request.user, representation=representation, request=request)
    except ValidationError as error:
        raise Http404 from error
    messages.success(request, _("The representation has ended."))
    return redirect("identity:profile")
