from django.contrib import admin

from .models import IntakeRejection, StoredFile


@admin.register(StoredFile)
class StoredFileAdmin(admin.ModelAdmin):
    list_display = ("created_at", "display_name", "policy", "media_type", "size", "scan_status")
    list_filter = ("policy", "scan_status", "media_type")
    readonly_fields = [field.name for field in StoredFile._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(IntakeRejection)
class IntakeRejectionAdmin(admin.ModelAdmin):
    list_display = ("created_at", "display_name", "policy", "code")
    list_filter = ("policy", "code")
    readonly_fields = [field.name for field in IntakeRejection._meta.fields]

    def has_add_permission(self, request):
        return False
