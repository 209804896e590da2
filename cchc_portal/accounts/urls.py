from django.urls import path

from cchc_portal.accounts import views

app_name = "accounts"
urlpatterns = [
    path("accounts/lockouts/", views.lockout_list, name="lockout_list"),
    path("accounts/lockouts/release/", views.lockout_release, name="lockout_release"),
]
