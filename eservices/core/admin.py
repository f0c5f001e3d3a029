from django.contrib import admin


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that only services write (decisions, evidence, the audit trail): the admin shows, never edits."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
