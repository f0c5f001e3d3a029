from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from eservices.casefiles.models import CaseFile
from eservices.core.forms import MultipleFileField
from eservices.identity.models import Capacity

MAX_FILES = 5


class SupportingFilesMixin:
    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if len(files) > MAX_FILES:
            raise ValidationError(_("Send at most %(count)s files.") % {"count": MAX_FILES})
        return files  # checked by content when the request is submitted (the intake pipeline)


class AccessRequestForm(SupportingFilesMixin, forms.Form):
    reference = forms.CharField(
        label=_("Reference of the case file"),
        max_length=60,
        help_text=_("As written on the letters you received, e.g. SECM/2026/001234 or CPI/2026/0042."),
    )
    capacity = forms.ChoiceField(label=_("You ask as"), choices=Capacity.choices)
    acting_for = forms.CharField(
        label=_("On behalf of"),
        max_length=200,
        required=False,
        help_text=_("For a lawyer, a representative or a third party: the person or company you act for."),
    )
    company_number = forms.CharField(
        label=_("Company number (BCE/KBO)"),
        max_length=14,
        required=False,
        help_text=_("Only when you represent a company."),
    )
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, required=False
    )
    files = MultipleFileField(
        label=_("Supporting documents"),
        help_text=_("For example a mandate or a power of attorney: PDF, PNG or JPEG, at most five files."),
    )

    def clean(self):
        cleaned = super().clean()
        capacity = cleaned.get("capacity")
        if capacity and capacity != Capacity.CONCERNED_PERSON and not cleaned.get("acting_for"):
            self.add_error("acting_for", _("Say for whom you act."))
        if capacity == Capacity.COMPANY_REPRESENTATIVE and not cleaned.get("company_number"):
            self.add_error("company_number", _("Give the number of the company you represent."))
        return cleaned


class AdditionalInformationForm(SupportingFilesMixin, forms.Form):
    text = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    files = MultipleFileField(label=_("Supporting documents"), help_text=_("PDF, PNG or JPEG, at most five files."))


class CaseFileSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Reference or subject"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + CaseFile.Status.choices)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All"))] + CaseFile.Kind.choices)
