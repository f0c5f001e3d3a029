"""The token endpoint: django-oauth-toolkit's, rate-limited per client address, each token issued audited."""

import json

from django.utils.decorators import method_decorator
from oauth2_provider.models import get_access_token_model
from oauth2_provider.views import TokenView as BaseTokenView

from eservices.core.ratelimits import rate_limited

from . import services
from .models import ApiClient


@method_decorator(rate_limited("api_token"), name="post")
class TokenView(BaseTokenView):
    """``POST grant_type=client_credentials`` with the client's id and secret (HTTP Basic or the body): a bearer
    token valid ``API_TOKEN_SECONDS``, with the scopes asked for among those the client was registered with."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:
            token = (
                get_access_token_model()
                .objects.select_related("application")
                .filter(token_checksum=_checksum(json.loads(response.content)["access_token"]))
                .first()
            )
            client = ApiClient.objects.filter(application=token.application).first() if token else None
            if client is not None:
                services.record_token_issued(client=client, token=token, request=request)
        return response


def _checksum(token):
    import hashlib

    return hashlib.sha256(token.encode("utf-8")).hexdigest()
