from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from cchc_portal.views import language_set
from units.views import home

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
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("units/", include("units.urls")),
    path("frameworks/", include("scoring.urls")),
    path("assessments/", include("scoring.assessment_urls")),
    path("", include("reports.urls")),
]
