from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Company, OidcAccount, User
from .sessions import is_strongly_authenticated


@admin.action(description=_("End their sessions"))
def end_sessions(modeladmin, request, queryset):
    for user in queryset:
        services.end_sessions(actor=request.user, user=user, request=request)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    actions = [end_sessions]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (None, {"fields": ("preferred_language", "email_confirmed_at", "sessions_valid_after")}),
    )
    readonly_fields = ("email_confirmed_at", "sessions_valid_after")


@admin.register(OidcAccount)
class OidcAccountAdmin(admin.ModelAdmin):
    list_display = ("subject", "issuer", "user", "last_login_at")
    search_fields = ("subject", "user__username")
    readonly_fields = ("issuer", "subject", "user", "created_at", "last_login_at")


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "company_number")
    search_fields = ("name", "company_number")


# The Django admin is no side door: it needs the same strong authentication as the back office (eID Level500 or a
# break-glass account with its second factor), and its password-only login page sends to the portal's login.
def _admin_has_permission(request):
    return request.user.is_active and request.user.is_staff and is_strongly_authenticated(request)


def _admin_login(request, extra_context=None):
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("identity:staff_login"))


# Replacing the default site's two methods (rather than a site class of our own) keeps every app's admin.register().
admin.site.has_permission = _admin_has_permission  # type: ignore[method-assign]
admin.site.login = _admin_login  # type: ignore[method-assign]
