"""Idle sessions end: a user who made no request for SESSION_IDLE_TIMEOUT is logged out."""

import time
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

LAST_ACTIVITY = "cchc_last_activity"
# The time of the latest request is written to the session at most this often (seconds).
ACTIVITY_RESOLUTION = 60


class IdleTimeoutMiddleware:
    """Log out a session that has been idle too long, and send it to the login page.

    Rather than SESSION_SAVE_EVERY_REQUEST (every page view of a logged-in user writes its
    session row), the time of the latest request is kept in the session and rewritten at
    most once a minute: a user's session costs one write a minute instead of one per
    page, which matters on SQLite, where each write takes the whole database's lock.
    The price: the limit holds to within that minute. See README, "Sessions".
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get(LAST_ACTIVITY)
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                return self.expired(request)
            if last is None or now - last >= ACTIVITY_RESOLUTION:
                request.session[LAST_ACTIVITY] = now
        return self.get_response(request)

    def expired(self, request: HttpRequest) -> HttpResponse:
        back_to = _return_path(request)
        logout(request)
        messages.warning(
            request,
            _(
                "Your session ended after %(minutes)d minutes without activity. "
                "Log in again to continue."
            )
            % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60},
        )
        login_url = resolve_url(settings.LOGIN_URL)
        if back_to:
            login_url += "?" + urlencode({"next": back_to})
        return HttpResponseRedirect(login_url)


def activity_at_login(sender, request: HttpRequest | None, user, **kwargs) -> None:
    """Logging in is activity: the pages right after it need not write the session again.

    Connected to user_logged_in in AccountsConfig.ready().
    """
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY] = int(time.time())


def _return_path(request: HttpRequest) -> str:
    """Where to go back after logging in again: this page, or for a form the page it was on.

    A form posted after the limit cannot be replayed through a redirect: the user returns
    to the page that held it, and submits it again.
    """
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return ""
