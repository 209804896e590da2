from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from cchc_portal.views import language_set
from units.views import home

urlpatterns = [
    # Where include("django.conf.urls.i18n") put it, under the same name, without CSRF.
    path("i18n/setlang/", language_set, name="set_language"),
    path("admin/", admin.site.urls),
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("cchc_portal.accounts.urls")),
    path("units/", include("units.urls")),
    path("frameworks/", include("scoring.urls")),
    path("assessments/", include("scoring.assessment_urls")),
    path("", include("reports.urls")),
]
