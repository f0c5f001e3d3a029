from django.conf import settings


def site(request):
    """The portal's name for every template."""
    return {"portal_name": settings.PORTAL_NAME}
