"""Back-office screens of identity: representation requests and staff memberships."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from eservices.identity import queries as identity_queries
from eservices.identity import services as identity_services
from eservices.identity.access import administrator_required, staff_required
from eservices.identity.models import Representation, User
from eservices.intake.downloads import attachment_response
from eservices.units.models import StaffMembership, StaffRole, Unit

# --------------------------------------------------------------------------------- representation requests


def representation_decider_required(view):
    """Unit leads and functional administrators (``identity.services.REPRESENTATION_DECIDERS``); others get 403."""

    @staff_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not identity_services.may_decide_representations(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@representation_decider_required
def representations(request):
    """Requests to act for a company, waiting for a decision on their supporting document (not the reader's own:
    nobody decides their own request)."""
    pending = identity_queries.pending_representations().exclude(user=request.user)
    return render(request, "backoffice/representations.html", {"representations": pending})


@representation_decider_required
def representation_document(request, pk):
    """The supporting document, once released by the intake pipeline (scanned), as an inert attachment."""
    representation = get_object_or_404(Representation.objects.select_related("document"), pk=pk)
    if representation.document is None:
        raise Http404
    return attachment_response(
        request,
        representation.document,
        record=lambda: identity_services.record_representation_document_download(
            actor=request.user, representation=representation, request=request
        ),
    )


@representation_decider_required
@require_POST
def decide_representation(request, pk):
    representation = get_object_or_404(Representation, pk=pk)
    confirm = request.POST.get("decision") == "confirm"
    try:
        identity_services.decide_representation(
            actor=request.user, representation=representation, confirm=confirm, request=request
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The request is confirmed.") if confirm else _("The request is refused."))
    return redirect("backoffice:representations")


# ------------------------------------------------------------------------------------- staff memberships


class MembershipForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), max_length=150)
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Unit.objects.all())
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=StaffRole.choices)

    def clean_username(self):
        try:
            return User.objects.get(username=self.cleaned_data["username"])
        except User.DoesNotExist:
            raise ValidationError(_("Nobody has this username.")) from None


@administrator_required
def memberships(request):
    """Functional administrators add and remove staff memberships and change roles (each change is audited)."""
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            identity_services.add_membership(
                actor=request.user,
                user=form.cleaned_data["username"],
                unit=form.cleaned_data["unit"],
                role=form.cleaned_data["role"],
                request=request,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The membership is added."))
            return redirect("backoffice:memberships")
    rows = StaffMembership.objects.select_related("user", "unit").order_by("unit__code", "user__last_name")
    return render(
        request, "backoffice/memberships.html", {"form": form, "memberships": rows, "roles": StaffRole.choices}
    )


@administrator_required
@require_POST
def change_membership(request, pk):
    membership = get_object_or_404(StaffMembership, pk=pk)
    action = request.POST.get("action")
    if action == "remove":
        identity_services.remove_membership(actor=request.user, membership=membership, request=request)
        messages.success(request, _("The membership is removed."))
    elif action == "role" and request.POST.get("role") in StaffRole.values:
        identity_services.change_role(
            actor=request.user, membership=membership, role=request.POST["role"], request=request
        )
        messages.success(request, _("The role is changed."))
    elif action == "end_sessions":
        identity_services.end_sessions(actor=request.user, user=membership.user, request=request)
        messages.success(request, _("Their sessions are ended."))
    elif action in ("disable", "enable"):
        identity_services.set_active(
            actor=request.user, user=membership.user, active=action == "enable", request=request
        )
        messages.success(request, _("The account is updated."))
    else:
        messages.error(request, _("Unknown action."))
    return redirect("backoffice:memberships")
