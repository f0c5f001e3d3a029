import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from eservices.casefiles.models import CaseFile, Origin, Phase, ProviderKind, Region

from .figures import Filters, semester_of
from .models import PaperExchange

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ANY = [("", _("All"))]


class FilterForm(forms.Form):
    """The dashboard's filters; the units offered are only those the reader may see."""

    unit = forms.ChoiceField(label=_("Unit"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
    language = forms.ChoiceField(
        label=_("Language of the procedure"), required=False, choices=ANY + CaseFile._meta.get_field("language").choices
    )
    origin = forms.ChoiceField(label=_("Origin"), required=False, choices=ANY + Origin.choices)
    provider_kind = forms.ChoiceField(label=_("Kind of provider"), required=False, choices=ANY + ProviderKind.choices)
    region = forms.ChoiceField(label=_("Region of the provider"), required=False, choices=ANY + Region.choices)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ANY + CaseFile.Status.choices)

    def __init__(self, *args, units, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        self.today = today
        self.fields["unit"].choices = ANY + [(unit.code, unit.name) for unit in self.units]

    def clean(self):
        data = super().clean()
        start, end = semester_of(self.today)
        data["start"] = data.get("start") or start
        data["end"] = data.get("end") or end
        if data["end"] < data["start"]:
            raise forms.ValidationError(_("The end of the period cannot be before its start."))
        if (data["end"] - data["start"]).days > 3 * 366:
            raise forms.ValidationError(_("Choose a period of at most three years."))
        return data

    def filters(self) -> Filters:
        data = self.cleaned_data
        units = [unit for unit in self.units if not data["unit"] or unit.code == data["unit"]]
        return Filters(
            units=units,
            start=data["start"],
            end=data["end"],
            **{name: data[name] for name in ("language", "origin", "provider_kind", "region", "status")},
        )


class PhaseForm(forms.Form):
    phase = forms.ChoiceField(label=_("New phase"), choices=Phase.choices)
    on = forms.DateField(label=_("Since"), widget=DATE)


class PaperExchangeForm(forms.ModelForm):
    class Meta:
        model = PaperExchange
        fields = ["unit", "occurred_on", "direction", "count"]
        widgets = {"occurred_on": DATE}

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
