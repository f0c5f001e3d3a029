from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DepositsConfig(AppConfig):
    name = "eservices.deposits"
    verbose_name = _("Deposits")

    def ready(self):
        from . import receivers  # noqa: F401 - connects the case files' retention signals
