"""``{% phase_section case_file %}``: a case file's phases, with the form to change it (back office)."""

from django import template

from eservices.calendar import days
from eservices.casefiles.models import PhaseChange

from ..forms import PhaseForm

register = template.Library()


@register.inclusion_tag("dashboards/_phases.html")
def phase_section(case_file):
    history = list(PhaseChange.objects.filter(case_file=case_file).order_by("started_on", "id"))
    return {
        "case_file": case_file,
        "history": history,
        "form": PhaseForm(initial={"on": days.local_today()}),
        "today": days.local_today(),
    }
