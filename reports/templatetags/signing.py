"""Signing on pages: whether the demo authority signs; signing times as the stamp prints them."""

from datetime import datetime

from django import template
from django.conf import settings
from django.utils import timezone

from reports.outputs.signing import signing_time_text

register = template.Library()


@register.simple_tag
def signing_uses_demo_authority() -> bool:
    """No organisation's certificate is configured: publication will sign with the demo CA."""
    return not settings.SIGNING_PKCS12


@register.filter
def signing_time(value: datetime | None) -> str:
    """ "17/10/2016 09:15:30 +07:00" in the portal's zone, as the signature stamp prints it."""
    return signing_time_text(timezone.localtime(value)) if value else ""
