from django import forms
from django.utils.translation import gettext_lazy as _

from eservices.access.models import AccessGrant, RefusalReason
from eservices.casefiles.models import CaseFile, Document, Party
from eservices.units import staff

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CaseFileForm(forms.ModelForm):
    class Meta:
        model = CaseFile
        fields = [
            "unit",
            "reference",
            "kind",
            "subject",
            "language",
            "status",
            "opened_on",
            "hearing_on",
            "decided_on",
            "closed_on",
            "origin",
            "provider_kind",
            "region",
        ]
        widgets = {"opened_on": DATE, "hearing_on": DATE, "decided_on": DATE, "closed_on": DATE}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = staff.units_of(user)
        if self.instance.pk:
            # The reference and the unit identify the case file: they never change.
            del self.fields["unit"]
            del self.fields["reference"]


class PartyForm(forms.ModelForm):
    national_number = forms.CharField(
        label=_("National register number"),
        required=False,
        max_length=15,
        help_text=_("Kept only as a keyed hash, to recognise the person when they ask for access."),
    )

    class Meta:
        model = Party
        fields = ["role", "display_name", "inami_number", "company", "represents"]

    def __init__(self, *args, case_file, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["represents"].queryset = case_file.parties.all()


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=Document.Kind.choices)
    document_date = forms.DateField(label=_("Date"), widget=DATE)
    file = forms.FileField(label=_("File"))
    visibility = forms.ChoiceField(
        label=_("Visibility"), choices=Document.Visibility.choices, initial=Document.Visibility.ALL_PARTIES
    )


class VisibilityForm(forms.Form):
    visibility = forms.ChoiceField(
        label=_("Who may see it"), choices=Document.Visibility.choices, widget=forms.RadioSelect
    )
    visible_to = forms.ModelMultipleChoiceField(
        label=_("Parties who may see it (for “some parties”)"),
        queryset=Party.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confidential_existence = forms.BooleanField(
        label=_("Keep even its existence confidential from the other parties"), required=False
    )
    withheld_reason = forms.CharField(
        label=_("Why it is withheld (shown to the parties who cannot see it)"), required=False, max_length=300
    )

    def __init__(self, *args, document, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visible_to"].queryset = document.case_file.parties.all()


class LinkCaseFileForm(forms.Form):
    reference = forms.CharField(label=_("Reference of the case file in your unit"), max_length=60)


class GrantForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Scope"), choices=AccessGrant.Scope.choices, initial=AccessGrant.Scope.WHOLE, widget=forms.RadioSelect
    )
    documents = forms.ModelMultipleChoiceField(
        label=_("Documents (for “chosen documents”)"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    party = forms.ModelChoiceField(
        label=_("As party"),
        queryset=Party.objects.none(),
        required=False,
        help_text=_("The party the requester is or acts for; documents shown to some parties follow it."),
    )
    valid_until = forms.DateField(
        label=_("Valid until"), required=False, widget=DATE, help_text=_("Empty: no end date.")
    )

    def __init__(self, *args, case_file, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["documents"].queryset = case_file.documents.all()
        self.fields["party"].queryset = case_file.parties.all()


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RefusalReason.choices)
    details = forms.CharField(
        label=_("Explanation (shown to the requester on the portal, not in the e-mail)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )

    def clean(self):
        """The model's rule, checked before the confirmation step: "another reason" must be explained."""
        data = super().clean()
        if data.get("reason") == RefusalReason.OTHER and not (data.get("details") or "").strip():
            self.add_error("details", _("Explain the reason."))
        return data


class AskForInformationForm(forms.Form):
    question = forms.CharField(label=_("What do you need?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Why"), max_length=300)


class LegalHoldForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the case file is held"),
        max_length=300,
        help_text=_("An appeal, a litigation, a request of a court: retention removes nothing while it lasts."),
    )


class AuditSearchForm(forms.Form):
    action = forms.CharField(
        label=_("Action"), required=False, max_length=60, help_text=_("Beginning of the action, e.g. casefile.")
    )
    actor = forms.CharField(label=_("Actor"), required=False, max_length=200)
    target = forms.CharField(label=_("Object"), required=False, max_length=300)
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date_from") and cleaned.get("date_to") and cleaned["date_from"] > cleaned["date_to"]:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        return cleaned

    def filters(self):
        """The search criteria as keyword arguments of ``audit.queries.search_events``."""
        return {name: value for name, value in self.cleaned_data.items() if value}

    def filters_for_audit(self):
        """The criteria as the trail records them (dates as text)."""
        return {name: str(value) for name, value in self.filters().items()}
