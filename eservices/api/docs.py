"""The API's readable documentation: Swagger UI from drf-spectacular-sidecar's static files (no CDN), its start
script from a static file too, so the page runs under the portal's CSP without inline script."""

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny

from . import renderers


class Schema(SpectacularAPIView):
    """The OpenAPI 3.1 schema (YAML by default, JSON with ``?format=json`` or ``Accept: application/json``)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [
        renderers.SchemaYamlRenderer,
        renderers.SchemaOpenApiJsonRenderer,
        renderers.SchemaJsonRenderer,
    ]


class ApiDocs(SpectacularSwaggerView):
    authentication_classes = []
    permission_classes = [AllowAny]
    template_name = "api/docs.html"
    url_name = "api:schema"
