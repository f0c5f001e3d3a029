"""JSON that names its charset, as every JSON answer of the portal does."""

from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2, OpenApiYamlRenderer
from rest_framework import renderers


class JSONRenderer(renderers.JSONRenderer):
    charset = "utf-8"


class ProblemRenderer(JSONRenderer):
    media_type = "application/problem+json"


class SchemaJsonRenderer(OpenApiJsonRenderer2):
    charset = "utf-8"


class SchemaOpenApiJsonRenderer(OpenApiJsonRenderer):
    charset = "utf-8"


class SchemaYamlRenderer(OpenApiYamlRenderer):
    charset = "utf-8"
