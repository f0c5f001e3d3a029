from pathlib import Path

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "eservices.intake"
    verbose_name = _("File intake")

    def ready(self):
        # Uploads' temporary files go under the intake's work folder (cleaned by cleanup_intake); Django's checks
        # want it to exist before the first upload.
        if settings.FILE_UPLOAD_TEMP_DIR:
            Path(settings.FILE_UPLOAD_TEMP_DIR).mkdir(parents=True, exist_ok=True)

        from .names import keep_control_characters_in_upload_names  # noqa: PLC0415

        keep_control_characters_in_upload_names()
