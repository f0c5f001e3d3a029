"""Back-office screens of the public content: the home page's notices and the units' contact details.

Functional administrators only (the services check it too); every change is audited by ``pages.services``.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from eservices.core.forms import submit
from eservices.identity.access import administrator_required
from eservices.pages import services as page_services
from eservices.pages.models import ContactDetails, Notice
from eservices.units.models import Unit

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class NoticeForm(forms.ModelForm):
    class Meta:
        model = Notice
        fields = ["kind", "text_fr", "text_nl", "text_de", "text_en", "starts_at", "ends_at"]
        widgets = {
            **{f"text_{code}": forms.Textarea(attrs={"rows": 2}) for code in ("fr", "nl", "de", "en")},
            "starts_at": DATETIME,
            "ends_at": DATETIME,
        }
        help_texts = {
            "text_de": gettext_lazy("Left blank, the French text is shown."),
            "text_en": gettext_lazy("Left blank, the French text is shown."),
            "starts_at": gettext_lazy("Belgian time. Left blank: at once."),
            "ends_at": gettext_lazy("Belgian time. Left blank, the notice stays until you withdraw it."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].required = False

    def clean_starts_at(self):
        """Left blank: shown at once."""
        return self.cleaned_data["starts_at"] or timezone.now()


class ContactForm(forms.ModelForm):
    email = forms.EmailField(label=gettext_lazy("Contact e-mail"), required=False)

    class Meta:
        model = ContactDetails
        fields = ["phone", "address", "hours_fr", "hours_nl", "hours_de", "hours_en"]
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


@administrator_required
@require_http_methods(["GET", "POST"])
def notices(request):
    """The notices shown on the home page (maintenance, outage): publish one, withdraw one."""
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = submit(
            request,
            form,
            lambda: page_services.publish_notice(
                actor=request.user,
                kind=data["kind"],
                texts={code: data[f"text_{code}"] for code in ("fr", "nl", "de", "en")},
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                request=request,
            ),
            success=_("The notice is published."),
            then=lambda _notice: redirect("backoffice:site_notices"),
        )
        if done:
            return done
    rows = Notice.objects.order_by("-starts_at")[:50]
    return render(request, "backoffice/content/notices.html", {"form": form, "notices": rows})


@administrator_required
@require_POST
def withdraw_notice(request, notice_id):
    notice = get_object_or_404(Notice, pk=notice_id)
    page_services.withdraw_notice(actor=request.user, notice=notice, request=request)
    messages.success(request, _("The notice is withdrawn from the home page."))
    return redirect("backoffice:site_notices")


@administrator_required
def contacts(request):
    """Every unit's contact details as the contact page shows them."""
    units = Unit.objects.select_related("contact")
    return render(request, "backoffice/content/contacts.html", {"units": units})


@administrator_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, unit_id):
    unit = get_object_or_404(Unit, pk=unit_id)
    instance = ContactDetails.objects.filter(unit=unit).first() or ContactDetails(unit=unit)
    form = ContactForm(request.POST or None, instance=instance, initial={"email": unit.email})
    if request.method == "POST" and form.is_valid():
        done = submit(
            request,
            form,
            lambda: page_services.update_contact(
                actor=request.user, unit=unit, data=form.cleaned_data, request=request
            ),
            success=_("The contact details are saved."),
            then=lambda _contact: redirect("backoffice:site_contacts"),
        )
        if done:
            return done
    return render(request, "backoffice/content/contact_edit.html", {"form": form, "unit": unit})
