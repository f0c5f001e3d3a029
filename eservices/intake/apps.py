from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "eservices.intake"
    verbose_name = _("File intake")

    def ready(self):
        from .names import keep_control_characters_in_upload_names  # noqa: PLC0415

        keep_control_characters_in_upload_names()
