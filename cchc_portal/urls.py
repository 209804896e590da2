from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from cchc_portal.views import healthz, home, language_set

urlpatterns = [
    # Where include("django.conf.urls.i18n") put it, under the same name, without CSRF.
    path("i18n/setlang/", language_set, name="set_language"),
    path("admin/", admin.site.urls),
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("cchc_portal.accounts.urls")),
    path("units/", include("units.urls")),
    path("frameworks/", include("scoring.urls.frameworks")),
    path("campaigns/", include("scoring.urls.campaigns")),
    # Campaigns lived under /frameworks/campaigns/ until 2026-12: bookmarks keep working.
    re_path(
        r"^frameworks/campaigns/(?P<rest>.*)$",
        RedirectView.as_view(url="/campaigns/%(rest)s", permanent=True, query_string=True),
    ),
    path("assessments/", include("scoring.urls.assessments")),
    path("", include("reports.urls")),
]
