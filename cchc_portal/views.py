"""The project's own pages: the home page, the language switch and the health check."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from scoring.selectors.campaigns import campaign_overview
from scoring.selectors.todo import user_todo
from units.selectors import member_units

# The language is a display preference kept in a cookie: a forged switch (a third-party
# page posting here) changes nothing but the language the victim reads the portal in,
# and harms nothing. Without a CSRF token the switcher no longer puts a per-visitor
# secret on every page, so the public pages can be cached whole for anonymous visitors
# (reports.views.page_cache.published_page). It stays a POST: a GET changes no state.
language_set = csrf_exempt(set_language)


def home(request: HttpRequest) -> HttpResponse:
    """The public front page; for a logged-in user, their work comes first ("Việc cần làm")."""
    return render(
        request,
        "home.html",
        {
            "campaigns": campaign_overview(),
            "member_units": member_units(request.user),
            "todo": user_todo(request.user) if request.user.is_authenticated else None,
        },
    )


def healthz(request: HttpRequest) -> HttpResponse:
    """For load balancers and monitoring: the process answers (no database, no template)."""
    return HttpResponse("ok", content_type="text/plain")
