"""The client's address, for the rate limits and the audit trail: ``REMOTE_ADDR``, or behind reverse proxies the
address the outermost trusted proxy received the request from.

``settings.TRUSTED_PROXIES`` says how many proxies stand in front of the application, each appending the address
it received the request from to ``X-Forwarded-For`` (nginx: ``proxy_set_header X-Forwarded-For
$proxy_add_x_forwarded_for``). Only the entries those proxies wrote are believed; whatever the client put in the
header itself lies further left and is ignored. A request that did not come through them all (fewer entries
than proxies) is counted by ``REMOTE_ADDR``.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address of the client as the outermost trusted proxy saw it (``REMOTE_ADDR`` without proxies)."""
    remote = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    hops = [*[part for part in forwarded if part], remote]
    if len(hops) <= proxies:
        return remote
    candidate = hops[-(proxies + 1)]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
