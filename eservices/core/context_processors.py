from django.conf import settings


def site(request):
    """The portal's name for every template, and whether uploaded files are released without any virus scan
    (no clamd configured where INTAKE_RELEASE_UNSCANNED allows it: the demo without clamav-daemon), which every
    page then says."""
    return {
        "portal_name": settings.PORTAL_NAME,
        "released_unscanned": not settings.CLAMD_ADDRESS and settings.INTAKE_RELEASE_UNSCANNED,
    }
