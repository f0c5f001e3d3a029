"""The one view of bench/intake_memory.py: an upload through the intake pipeline, as a portal view would do it."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from eservices.intake import policies, services, uploads


@csrf_exempt  # a benchmark-only view, never mounted by the portal
def upload(request):
    uploads.use_policy(request, policies.DEPOSIT)
    document = request.FILES.get("document")
    if document is None:
        return JsonResponse({"accepted": False, "cut": uploads.limit_rejection(request)})
    result = services.receive(document, policy=policies.DEPOSIT)
    stored = result.stored_file
    return JsonResponse(
        {
            "accepted": result.accepted,
            "code": result.code,
            "size": stored.size if stored else None,
            "scan": stored.scan_status if stored else None,
        }
    )


urlpatterns = [path("upload", upload)]
