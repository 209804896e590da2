"""Whether PORTAL_BASE_URL can be printed on a published decision.

The PDF prints the portal's address (the verification link and its QR code) once and
for ever: a development default (http://127.0.0.1:8000) left in production would send
every reader of a signed decision nowhere. The system checks (cchc_portal.checks)
refuse such an address when DEBUG is off; the publication refuses a loopback address
again at render time, in case a process started without the checks.
"""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from reports.errors import PublicationError

LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


def is_loopback(url: str) -> bool:
    """127.0.0.0/8, ::1 and localhost (with or without a port, any scheme)."""
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host in LOOPBACK_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def base_url_problem(url: str) -> str | None:
    """What makes `url` unfit to print on a published decision, or None (for operators)."""
    if not url.strip():
        return "PORTAL_BASE_URL is not set."
    if is_loopback(url):
        return f"PORTAL_BASE_URL={url} is a loopback address."
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return f"PORTAL_BASE_URL={url} is not an https:// address."
    return None


def publication_base_url_check() -> None:
    """Refuse to print a loopback address on a published decision, except in development."""
    url = settings.PORTAL_BASE_URL
    if is_loopback(url) and not settings.DEBUG:
        raise PublicationError(
            _(
                "The portal's address (PORTAL_BASE_URL=%(url)s) is a loopback address: the "
                "published PDF would send its readers nowhere. Set PORTAL_BASE_URL to the "
                "portal's public https:// address."
            )
            % {"url": url}
        )
