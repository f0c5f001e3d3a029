from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "eservices.dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        from . import db  # noqa: F401 - gives SQLite the percentile aggregate PostgreSQL has
