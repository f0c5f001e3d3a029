from django.contrib import admin

from eservices.core.admin import ReadOnlyAdmin

from .models import AccessGrant, AccessRequest


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    list_display = ("pk", "reference", "requester", "capacity", "unit", "state", "decision_due_on")
    list_filter = ("state", "unit")
    search_fields = ("reference", "requester__username")


@admin.register(AccessGrant)
class AccessGrantAdmin(ReadOnlyAdmin):
    list_display = ("pk", "user", "case_file", "capacity", "scope", "valid_until", "revoked_at")
    list_filter = ("scope", "capacity")
    search_fields = ("user__username", "case_file__reference")
