"""Citizen forms of deposits and of the verification of a proof of deposit."""

import uuid

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from eservices.core.display import size as filesizeformat
from eservices.deposits.services import companies_represented
from eservices.identity.models import Capacity, Company
from eservices.units.models import Unit


class DepositForm(forms.Form):
    """The deposit's fields; the files come from ``request.FILES`` and are checked one by one by the service."""

    case_file_reference = forms.CharField(
        label=_("Case file reference"),
        max_length=40,
        help_text=_("As it appears on the letter you received, for example SECM/2026/001234."),
        widget=forms.TextInput(attrs={"list": "case-file-suggestions", "autocomplete": "off"}),
    )
    unit = forms.ModelChoiceField(label=_("Addressee"), queryset=Unit.objects.all(), empty_label=None)
    capacity = forms.ChoiceField(label=_("I act as"), choices=Capacity.choices)
    company: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Company I represent"),
        queryset=None,
        required=False,
        help_text=_("Only when you act as the representative of a company."),
    )
    message = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000, required=False
    )
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, user, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        companies = companies_represented(user)
        self.fields["company"].queryset = Company.objects.filter(pk__in=[company.pk for company in companies])
        if not companies:
            del self.fields["company"]
            self.fields["capacity"].choices = [c for c in Capacity.choices if c[0] != Capacity.COMPANY_REPRESENTATIVE]


class VerifyForm(forms.Form):
    receipt = forms.FileField(label=_("Proof of deposit (PDF)"))

    def clean_receipt(self):
        """A real receipt is a few hundred KB: a larger file is refused before anything reads it."""
        receipt = self.cleaned_data["receipt"]
        if receipt.size > settings.VERIFY_MAX_RECEIPT_BYTES:
            raise forms.ValidationError(
                _("A proof of deposit is at most %(limit)s; this file is larger."),
                params={"limit": filesizeformat(settings.VERIFY_MAX_RECEIPT_BYTES)},
                code="too_large",
            )
        return receipt
