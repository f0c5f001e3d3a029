"""Back-office screens of the mailbox: preparing, previewing and sending notifications and communications,
following their evidence, the paper-fallback list, failed alerts and the legal calendar (legal holidays the
package lacks, informative closing days)."""

from django import forms
from django.contrib import messages as flash
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from eservices.calendar import days
from eservices.calendar import services as calendar_services
from eservices.calendar.models import ClosingDay, LegalHoliday
from eservices.casefiles.models import Document
from eservices.casefiles.queries import case_files_for_staff
from eservices.identity.access import staff_required  # members of a unit, strongly authenticated
from eservices.identity.models import Company
from eservices.intake import policies, uploads
from eservices.intake import services as intake_services  # the refusal of an upload cut at the limit
from eservices.mailbox import queries, services
from eservices.mailbox.models import Dispatch, MessageKind
from eservices.signing.services import SigningUnavailable
from eservices.units import staff

from .downloads import zip_response


class DispatchForm(forms.Form):
    addressees = forms.MultipleChoiceField(
        label=gettext_lazy("Addressees"), required=False, widget=forms.CheckboxSelectMultiple
    )
    company_number = forms.CharField(
        label=gettext_lazy("Other addressee: company number (BCE/KBO) of a company or partner institution"),
        required=False,
        max_length=12,
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=MessageKind.choices)
    subject = forms.CharField(label=gettext_lazy("Subject"), max_length=200)
    text = forms.CharField(label=gettext_lazy("Text"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    documents = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Documents of the case file"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    new_file = forms.FileField(label=gettext_lazy("New document"), required=False)
    time_limit_months = forms.IntegerField(
        label=gettext_lazy("Time limit (months)"), min_value=0, max_value=24, initial=0
    )
    time_limit_days = forms.IntegerField(label=gettext_lazy("Time limit (days)"), min_value=0, max_value=365, initial=0)

    def __init__(self, *args, case_file, **kwargs):
        super().__init__(*args, **kwargs)
        self.case_file = case_file
        self.parties = {
            str(party.pk): party
            for party in case_file.parties.select_related("user", "company")
            if party.user or party.company
        }
        self.fields["addressees"].choices = [
            (key, f"{party.display_name} – {party.get_role_display()}") for key, party in self.parties.items()
        ]
        self.fields["documents"].queryset = case_file.documents.exclude(visibility=Document.Visibility.STAFF_ONLY)

    def clean_company_number(self):
        number = "".join(ch for ch in self.cleaned_data["company_number"] if ch.isdigit())
        if not number:
            return None
        company = Company.objects.filter(company_number=number).first()
        if company is None:
            raise ValidationError(_("No company has this number."))
        return company

    def clean(self):
        data = super().clean()
        if not data.get("addressees") and not data.get("company_number") and not self.errors:
            raise ValidationError(_("Choose at least one addressee."))
        if data.get("kind") == MessageKind.COMMUNICATION and (
            data.get("time_limit_months") or data.get("time_limit_days")
        ):
            raise ValidationError(_("Only a formal notification can carry a time limit."))
        return data

    def mailboxes(self):
        boxes = []
        for key in self.cleaned_data["addressees"]:
            party = self.parties[key]
            boxes.append(
                services.mailbox_of_user(party.user) if party.user else services.mailbox_of_company(party.company)
            )
        if self.cleaned_data["company_number"]:
            boxes.append(services.mailbox_of_company(self.cleaned_data["company_number"]))
        return list(dict.fromkeys(boxes))


def _dispatch_or_404(request, dispatch_id):
    return get_object_or_404(
        Dispatch.objects.select_related("case_file", "unit"), staff.of_my_units(request.user), pk=dispatch_id
    )


def _message_or_404(request, message_id):
    message = queries.messages_for_staff(request.user).filter(pk=message_id).first()
    if message is None:
        raise Http404
    return message


@staff_required
def choose_case_file(request):
    """First step of a sending: the case file, among those of the staff member's units."""
    case_file_id = request.GET.get("case_file")
    if case_file_id:
        case_file = case_files_for_staff(request.user).filter(pk=case_file_id if case_file_id.isdigit() else 0).first()
        if case_file is None:
            raise Http404
        return redirect("backoffice:mailbox_prepare", case_file_id=case_file.pk)
    return render(
        request, "backoffice/mailbox/choose_case_file.html", {"case_files": case_files_for_staff(request.user)}
    )


@staff_required
def prepare(request, case_file_id):
    """Second step: addressees, kind, subject, text, documents and time limit; then the preview."""
    case_file = case_files_for_staff(request.user).filter(pk=case_file_id).first()
    if case_file is None:
        raise Http404
    uploads.use_policy(request, policies.CASEFILE_DOCUMENT)  # before request.POST/FILES are read
    form = DispatchForm(request.POST or None, request.FILES or None, case_file=case_file)
    if request.method == "POST":
        cut = intake_services.refuse_cut_upload(request, policy=policies.CASEFILE_DOCUMENT, actor=request.user)
        if cut is not None:
            form.add_error(None, cut.reason)
    if request.method == "POST" and form.is_valid():
        dispatch = _prepare(request, case_file, form)
        if dispatch is not None:
            return redirect("backoffice:mailbox_dispatch", dispatch_id=dispatch.pk)
    return render(request, "backoffice/mailbox/prepare.html", {"case_file": case_file, "form": form})


def _prepare(request, case_file, form):
    data = form.cleaned_data
    try:
        return services.prepare_dispatch(
            actor=request.user,
            case_file=case_file,
            kind=data["kind"],
            subject=data["subject"],
            text=data["text"],
            addressees=form.mailboxes(),
            documents=list(data["documents"]),
            new_files=[data["new_file"]] if data["new_file"] else [],
            time_limit_months=data["time_limit_months"],
            time_limit_days=data["time_limit_days"],
            request=request,
        )
    except ValidationError as error:
        # The intake's refusals carry their code and concern the new file; the dispatch's own errors do not.
        form.add_error("new_file" if data["new_file"] and error.code else None, error)
        return None


@staff_required
def dispatch(request, dispatch_id):
    """The preview of a prepared sending, or, once sent, its messages and their evidence."""
    dispatch = _dispatch_or_404(request, dispatch_id)
    return render(
        request,
        "backoffice/mailbox/dispatch.html",
        {
            "dispatch": dispatch,
            "addressees": dispatch.addressees.select_related("user", "company"),
            "documents": dispatch.documents.all(),
            "sent_messages": dispatch.messages.select_related("mailbox__user", "mailbox__company", "opened_by"),
        },
    )


@staff_required
@require_POST
def send(request, dispatch_id):
    dispatch = _dispatch_or_404(request, dispatch_id)
    sent = services.send_dispatch(actor=request.user, dispatch=dispatch, request=request)
    flash.success(request, _("Made available in %(count)d mailbox(es).") % {"count": len(sent)})
    return redirect("backoffice:mailbox_dispatch", dispatch_id=dispatch.pk)


@staff_required
def message(request, message_id):
    """A sent message with its evidence, as the sending unit sees it."""
    message = _message_or_404(request, message_id)
    return render(
        request,
        "backoffice/mailbox/message.html",
        {"message": message, "evidence": queries.evidence_of(message), "documents": message.documents.all()},
    )


@staff_required
def message_evidence(request, message_id):
    """The message's sealed evidence bundle (documents, every evidence event), for a court; recorded."""
    message = _message_or_404(request, message_id)
    try:
        data = services.export_evidence(actor=request.user, message=message, request=request)
    except SigningUnavailable:
        flash.error(request, _("The evidence cannot be sealed right now. Please try again in a few minutes."))
        return redirect("backoffice:mailbox_message", message_id=message.pk)
    return zip_response(data, f"evidence-message-{message.pk}.zip")


@staff_required
def sent(request):
    """The messages the staff member's units sent, newest first."""
    return render(
        request, "backoffice/mailbox/sent.html", {"sent_messages": queries.messages_for_staff(request.user)[:100]}
    )


@staff_required
def paper_fallback(request):
    """Notifications not opened in time: staff send a paper letter and record it here."""
    return render(
        request,
        "backoffice/mailbox/paper_fallback.html",
        {"sent_messages": queries.paper_fallback_for_staff(request.user), "today": days.local_today()},
    )


@staff_required
@require_POST
def record_paper_letter(request, message_id):
    message = _message_or_404(request, message_id)
    field = forms.DateField()
    try:
        sent_on = field.clean(request.POST.get("sent_on"))
    except ValidationError:
        flash.error(request, _("Give the date the paper letter was sent."))
    else:
        services.record_paper_letter(actor=request.user, message=message, sent_on=sent_on, request=request)
        flash.success(request, _("The paper letter was recorded."))
    return redirect("backoffice:mailbox_paper_fallback")


@staff_required
def failed_alerts(request):
    """Alerts that finally failed or bounced: work items of the sending unit."""
    return render(
        request,
        "backoffice/mailbox/failed_alerts.html",
        {"sent_messages": queries.failed_alerts_for_staff(request.user)},
    )


@staff_required
@require_POST
def handle_failed_alert(request, message_id):
    message = _message_or_404(request, message_id)
    services.handle_failed_alert(actor=request.user, message=message, request=request)
    flash.success(request, _("The failed alert was marked as handled."))
    return redirect("backoffice:mailbox_failed_alerts")


class LegalHolidayForm(forms.ModelForm):
    class Meta:
        model = LegalHoliday
        fields = ["date", "name", "legal_source"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class ClosingDayForm(forms.ModelForm):
    class Meta:
        model = ClosingDay
        fields = ["date", "unit", "name"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


@staff_required
def holidays(request):
    """The legal calendar: legal holidays the package lacks (they move deadlines) and the days a registry is
    closed (informative). Every staff member reads it; the functional administrator changes it (the services
    check)."""
    what = request.POST.get("what")
    holiday_form = LegalHolidayForm(request.POST if what == "holiday" else None, prefix="holiday")
    closing_form = ClosingDayForm(request.POST if what == "closing" else None, prefix="closing")
    if what == "holiday" and holiday_form.is_valid():
        calendar_services.add_legal_holiday(actor=request.user, request=request, **holiday_form.cleaned_data)
        flash.success(request, _("The legal holiday was added."))
        return redirect("backoffice:mailbox_holidays")
    if what == "closing" and closing_form.is_valid():
        calendar_services.add_closing_day(actor=request.user, request=request, **closing_form.cleaned_data)
        flash.success(request, _("The closing day was added."))
        return redirect("backoffice:mailbox_holidays")
    return render(
        request,
        "backoffice/mailbox/holidays.html",
        {
            "holiday_form": holiday_form,
            "closing_form": closing_form,
            "holidays": LegalHoliday.objects.all(),
            "closing_days": ClosingDay.objects.select_related("unit"),
            "can_edit": calendar_services.can_edit_calendar(request.user),
        },
    )


@staff_required
@require_POST
def delete_holiday(request, holiday_id):
    holiday = get_object_or_404(LegalHoliday, pk=holiday_id)
    calendar_services.delete_legal_holiday(actor=request.user, holiday=holiday, request=request)
    flash.success(request, _("The legal holiday was removed."))
    return redirect("backoffice:mailbox_holidays")


@staff_required
@require_POST
def delete_closing_day(request, day_id):
    day = get_object_or_404(ClosingDay, pk=day_id)
    calendar_services.delete_closing_day(actor=request.user, day=day, request=request)
    flash.success(request, _("The closing day was removed."))
    return redirect("backoffice:mailbox_holidays")
