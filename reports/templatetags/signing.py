"""Whether the portal signs with the demo authority, for the drafting pages' warning."""

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def signing_uses_demo_authority() -> bool:
    """No organisation's certificate is configured: publication will sign with the demo CA."""
    return not settings.SIGNING_PKCS12
