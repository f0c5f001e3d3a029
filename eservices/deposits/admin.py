from django.contrib import admin

from eservices.core.admin import ReadOnlyAdmin

from .models import Deposit, DepositFile


class DepositFileInline(admin.TabularInline):
    model = DepositFile
    fields = ("position", "original_filename", "media_type", "size", "sha256", "document")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Deposit)
class DepositAdmin(ReadOnlyAdmin):
    """Read-only: a deposit is evidence; staff triage it in the back office."""

    list_display = ("number", "accepted_at", "depositor", "capacity", "reference", "unit", "state", "triage_due_on")
    list_filter = ("state", "unit")
    search_fields = ("number", "reference")
    inlines = [DepositFileInline]
