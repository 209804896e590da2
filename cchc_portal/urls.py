from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from cchc_portal.views import healthz, home, language_set

# The admin carries the portal's name rather than "Django administration".
admin.site.site_header = _("Administrative Reform Index: administration")
admin.site.site_title = _("Administrative Reform Index")
admin.site.index_title = _("Operator's tools")

urlpatterns = [
    # Where include("django.conf.urls.i18n") put it, under the same name, without CSRF.
    path("i18n/setlang/", language_set, name="set_language"),
    path("admin/", admin.site.urls),
    # Browsers ask for /favicon.ico whatever the page says; the file lives with the static ones.
    path("favicon.ico", RedirectView.as_view(url=lazy(static, str)("favicon.ico"))),
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("cchc_portal.accounts.urls")),
    # Before units' own pages: /units/import/ is not a unit's code (the import refuses it).
    path("units/", include("scoring.urls.units_workbook")),
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
