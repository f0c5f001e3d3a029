from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SigningConfig(AppConfig):
    name = "eservices.signing"
    verbose_name = _("Signing and timestamping")
