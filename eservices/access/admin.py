from django.contrib import admin

from .models import AccessGrant, AccessRequest


class ReadOnlyAdmin(admin.ModelAdmin):
    """Read-only: requests are decided and grants revoked in the back office, through the services."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
