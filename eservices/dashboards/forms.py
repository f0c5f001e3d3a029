import datetime
from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from eservices.casefiles.models import CaseFile, Origin, Phase, ProviderKind, Region

from .figures import Filters, semester_of
from .models import Objective, PaperExchange

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ANY = [("", _("All"))]


class FilterForm(forms.Form):
    """The dashboard's filters; the units offered are only those the reader may see."""

    unit = forms.ChoiceField(label=_("Unit"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)
    language = forms.ChoiceField(
        label=_("Language of the procedure"), required=False, choices=[*ANY, ("fr", "FR"), ("nl", "NL"), ("de", "DE")]
    )
    origin = forms.ChoiceField(label=_("Origin"), required=False, choices=ANY + Origin.choices)
    provider_kind = forms.ChoiceField(label=_("Kind of provider"), required=False, choices=ANY + ProviderKind.choices)
    region = forms.ChoiceField(label=_("Region of the provider"), required=False, choices=ANY + Region.choices)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ANY + CaseFile.Status.choices)

    def __init__(self, *args, units, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = list(units)
        self.today = today
        cast(forms.ChoiceField, self.fields["unit"]).choices = ANY + [(unit.code, unit.name) for unit in self.units]

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
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units


def semester_choices(today: datetime.date, count: int = 4) -> list[tuple[str, str]]:
    """The current semester and the ones before it, newest first."""
    from .reports import semester_label

    choices, start = [], semester_of(today)[0]
    for _index in range(count):
        choices.append((start.isoformat(), semester_label(start)))
        start = semester_of(start - datetime.timedelta(days=1))[0]
    return choices


class ReportForm(forms.Form):
    semester = forms.ChoiceField(label=_("Semester"))
    language = forms.ChoiceField(label=_("Language"), choices=[("fr", "Français"), ("nl", "Nederlands")])
    unit = forms.ChoiceField(label=_("Unit"))

    def __init__(self, *args, units, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.units = {unit.code: unit for unit in units}
        cast(forms.ChoiceField, self.fields["semester"]).choices = semester_choices(today)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [("", _("All the units I may see"))] + [
            (unit.code, unit.name) for unit in self.units.values()
        ]
        self.fields["unit"].required = False

    def chosen_units(self):
        code = self.cleaned_data["unit"]
        return [self.units[code]] if code else list(self.units.values())


class AttentionForm(forms.Form):
    unit: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    semester = forms.ChoiceField(label=_("Semester"))

    def __init__(self, *args, units, today: datetime.date, initial_texts=None, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units
        cast(forms.ChoiceField, self.fields["semester"]).choices = semester_choices(today)
        for objective, label in Objective.choices:
            self.fields[objective] = forms.CharField(
                label=label,
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=(initial_texts or {}).get(objective, ""),
            )
