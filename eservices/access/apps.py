from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "eservices.access"
    verbose_name = _("Access to case files")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the case files' retention signals
