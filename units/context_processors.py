from django.http import HttpRequest

from units.access import user_roles
from units.models import Province


def portal(request: HttpRequest) -> dict:
    """The province's name and the visitor's roles, for the navigation of every page."""
    return {
        "province": Province.current(),
        "roles": user_roles(request.user),
    }
