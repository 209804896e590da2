from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

# The language is a display preference kept in a cookie: a forged switch (a third-party
# page posting here) changes nothing but the language the victim reads the portal in,
# and harms nothing. Without a CSRF token the switcher no longer puts a per-visitor
# secret on every page, so the public pages can be cached whole for anonymous visitors
# (reports.views_public.published_page). It stays a POST: a GET changes no state.
language_set = csrf_exempt(set_language)
