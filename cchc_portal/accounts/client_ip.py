"""The visitor's IP address, as login throttling keys its lockouts on it."""

from ipaddress import ip_address

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind the portal's proxy the address that proxy appended.

    Only the right-most X-Forwarded-For entry is the proxy's own: a client can put
    anything in the entries before it, and would otherwise pick a fresh address, and a
    fresh lockout counter, for every guess.
    """
    if settings.BEHIND_PROXY:
        forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded and _is_ip(forwarded[-1]):
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")


def _is_ip(value: str) -> bool:
    try:
        ip_address(value)
    except ValueError:
        return False
    return True
