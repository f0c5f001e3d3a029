from django import template
from django.utils.translation import gettext_lazy as _

from eservices.identity.models import Capacity

register = template.Library()


@register.filter
def capacity_label(value):
    """The translated name of a capacity code."""
    return Capacity(value).label if value in Capacity.values else ""


ACTIONS = {
    "casefile.created": _("Case file opened"),
    "casefile.updated": _("Case file changed"),
    "casefile.party_added": _("Party added"),
    "casefile.consulted": _("Case file consulted"),
    "document.added": _("Document added"),
    "document.visibility_set": _("Visibility of a document changed"),
    "evidence.downloaded": _("Document downloaded"),
    "access.granted": _("Access granted"),
    "access.revoked": _("Access revoked"),
}


@register.filter
def action_label(value):
    """The translated name of an audit action, or the action's code when it has none."""
    return ACTIONS.get(value, value)
