"""The project's URLs plus two views that only tests need: one that fails, one that is rate limited."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns
from eservices.core.ratelimits import rate_limited


def fail(request):
    raise RuntimeError("internal detail: SELECT national_number FROM secrets")


@rate_limited("verification")
def limited(request):
    return HttpResponse("done")


urlpatterns = [
    path("test/fail/", fail),
    path("test/limited/", limited),
    *project_urlpatterns,
]
