import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from eservices.access.services import normalise_reference
from eservices.casefiles.models import CaseFile
from eservices.core.forms import MultipleFileField
from eservices.identity.models import Capacity
from eservices.units.models import Unit

# A case file's reference as the letters write it: the unit's code, the year, the number (SECM/2026/001234).
REFERENCE_HELP = _("Write the reference as on the letters: unit code, year and number, e.g. CPI/2026/0042.")
REFERENCE_FORMAT = re.compile(r"^(?P<unit>[A-Z][A-Z0-9]{0,9})/\d{4}/\d{1,10}$")

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
    # The form metaclass moves fields to base_fields: ``self.files`` stays the uploaded files (a type checker
    # cannot know).
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("Supporting documents"),
        help_text=_("For example a mandate or a power of attorney: PDF, PNG or JPEG, at most five files."),
    )

    def clean_reference(self):
        """A reference no unit could ever match would wait in no queue: refuse it here, with what to write.

        Units' codes are public, so saying that no unit has the code reveals nothing about case files; a
        well-formed reference of a known unit gets the same answer whether its case file exists or not.
        """
        reference = normalise_reference(self.cleaned_data["reference"]).replace(" ", "")
        match = REFERENCE_FORMAT.match(reference)
        if not match:
            raise ValidationError(REFERENCE_HELP)
        if not Unit.objects.filter(code=match["unit"]).exists():
            raise ValidationError(
                _("No unit has the code %(code)s: check the reference on the letters you received.")
                % {"code": match["unit"]}
            )
        return reference

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
    files = MultipleFileField(  # type: ignore[assignment]  # a field, not BaseForm.files (see above)
        label=_("Supporting documents"), help_text=_("PDF, PNG or JPEG, at most five files.")
    )


class CaseFileSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100, help_text=_("Reference or subject"))
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All"))] + CaseFile.Status.choices)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All"))] + CaseFile.Kind.choices)
