from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    name = "eservices.calendar"
    label = "legal_calendar"
    verbose_name = _("Legal calendar")
