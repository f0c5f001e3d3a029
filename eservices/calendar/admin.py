"""The legal calendar in the admin, read-only: it changes through the back office's pages, which call the services
(the functional administrator only, audited)."""

from django.contrib import admin

from eservices.core.admin import ReadOnlyAdmin

from .models import ClosingDay, LegalHoliday


@admin.register(LegalHoliday)
class LegalHolidayAdmin(ReadOnlyAdmin):
    list_display = ("date", "name", "legal_source")


@admin.register(ClosingDay)
class ClosingDayAdmin(ReadOnlyAdmin):
    list_display = ("date", "unit", "name")
    list_filter = ("unit",)
