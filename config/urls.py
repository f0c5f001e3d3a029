from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from eservices.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("readyz", core_views.readyz, name="readyz"),
    # POST only: a GET to a URL that changes state gets 405.
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("oidc/", include("eservices.identity.oidc_urls")),
    # The REST API for the institution's systems: no language prefix, problem details in the client's language.
    path("api/v1/", include("eservices.api.urls")),
]
urlpatterns += i18n_patterns(
    path("", include("eservices.portal.urls")),
    path("", include("eservices.pages.urls")),
    path("account/", include("eservices.identity.urls")),
    path("mailbox/", include("eservices.mailbox.urls")),
    path("backoffice/dashboard/", include("eservices.dashboards.urls")),
    path("backoffice/", include("eservices.backoffice.urls")),
    path("operations/", include("eservices.operations.urls")),
    path("admin/", admin.site.urls),
)
