from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import OutboxEmail


@admin.action(description=_("Send the failed e-mails again"))
def requeue(modeladmin, request, queryset):
    count = services.requeue_failed(list(queryset.values_list("pk", flat=True)))
    modeladmin.message_user(
        request,
        ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", count) % {"count": count},
        messages.SUCCESS,
    )


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ("created_at", "template", "to", "status", "attempts", "next_attempt_at")
    list_filter = ("status", "template")
    readonly_fields = [field.name for field in OutboxEmail._meta.fields]
    actions = [requeue]

    def has_add_permission(self, request):
        return False
