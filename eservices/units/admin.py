from django.contrib import admin

from .models import StaffMembership, Unit


class StaffMembershipInline(admin.TabularInline):
    model = StaffMembership
    extra = 0


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name_fr", "name_nl", "kind")
    inlines = [StaffMembershipInline]
