from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MessageKind


class MessageFilterForm(forms.Form):
    """The mailbox's filters, read from the query string; invalid values are ignored, never an error page."""

    q = forms.CharField(label=_("Search in subjects"), required=False, max_length=100)
    case_file = forms.TypedChoiceField(label=_("Case file"), required=False, coerce=int, empty_value=None)
    unit = forms.TypedChoiceField(label=_("Sender"), required=False, coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All")), *MessageKind.choices])
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    archived = forms.BooleanField(label=_("Archived messages"), required=False)

    def __init__(self, *args, case_files=(), units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_file"].choices = [("", _("All")), *case_files]
        self.fields["unit"].choices = [("", _("All")), *units]

    def filters(self):
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "search": data["q"].strip(),
            "case_file": data["case_file"],
            "unit": data["unit"],
            "kind": data["kind"],
            "since": data["since"],
            "until": data["until"],
            "archived": data["archived"],
        }
