"""What a locked-out user sees: the login page again, saying for how long and whom to ask.

django-axes calls lockout_response (settings.AXES_LOCKOUT_CALLABLE) instead of the
login view's answer once a username and address pair has failed too often.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def lockout_minutes() -> int:
    """How long a lockout lasts, in whole minutes, counted from the latest failure."""
    cool_off: timedelta = settings.AXES_COOLOFF_TIME
    return max(1, round(cool_off.total_seconds() / 60))


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    minutes = lockout_minutes()
    response = render(
        request,
        "registration/login.html",
        {
            "form": form,
            "next": request.POST.get("next", ""),
            "lockout": {
                "minutes": minutes,
                "failure_limit": settings.AXES_FAILURE_LIMIT,
                "contact": settings.LOGIN_HELP_CONTACT,
            },
        },
        # 429 Too Many Requests, with the time to wait, for scripts and proxies.
        status=429,
    )
    response["Retry-After"] = str(minutes * 60)
    return response
