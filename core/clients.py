"""Who is asking: the client's address, read safely, and only ever kept as a keyed hash.

The one way the site tells clients apart: for the feedback limits (editorial), the API's limits and
the admin's login lockouts (django-axes, AXES_CLIENT_IP_CALLABLE).
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest
from django.utils.crypto import salted_hmac


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the address our own proxies saw when settings.TRUSTED_PROXY_COUNT says
    how many of them stand in front of the site.

    Each trusted proxy appends the address it received the request from to X-Forwarded-For,
    so the entry TRUSTED_PROXY_COUNT places from the right is the one the outermost proxy
    saw; anything further left was written by the client and can be forged.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return remote  # the request did not pass through all our proxies
    return forwarded[-proxies]


def client_key(address: str) -> str:
    """The part of an address that identifies one client: the address itself for IPv4, its
    /64 network for IPv6 (one household or phone usually holds a whole /64)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def client_hash(request: HttpRequest) -> str:
    """A keyed hash (HMAC-SHA256 with SECRET_KEY) of the client: stable enough to count and to
    review abuse, useless to anyone without the key. The raw address is never stored."""
    # The salt keeps the name of this module's first home: changing it would change every hash,
    # and stored rate-limit counters and feedback would no longer match their clients.
    return salted_hmac("encyclopedia.client", client_key(client_address(request)), algorithm="sha256").hexdigest()
