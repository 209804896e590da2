from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from units.views import home

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("units/", include("units.urls")),
    path("frameworks/", include("scoring.urls")),
    path("assessments/", include("scoring.assessment_urls")),
    path("", include("reports.urls")),
]
