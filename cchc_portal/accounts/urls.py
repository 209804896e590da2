from django.urls import path

from cchc_portal.accounts.views import account_import, accounts, invitations
from cchc_portal.accounts.views import logins as views

app_name = "accounts"
urlpatterns = [
    path("password/change/", views.password_change, name="password_change"),
    path("password/change/done/", views.password_change_done, name="password_change_done"),
    path("password/reset/", views.password_reset, name="password_reset"),
    path("password/reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password/reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("accounts/lockouts/", views.lockout_list, name="lockout_list"),
    path("accounts/lockouts/release/", views.lockout_release, name="lockout_release"),
    path("accounts/", accounts.account_list, name="account_list"),
    path("accounts/new/", accounts.account_create, name="account_create"),
    path("accounts/<int:pk>/", accounts.account_detail, name="account_detail"),
    path("accounts/<int:pk>/edit/", accounts.account_edit, name="account_edit"),
    path(
        "accounts/<int:pk>/unit-role/", accounts.account_unit_role_set, name="account_unit_role_set"
    ),
    path(
        "accounts/<int:pk>/unit-role/<int:unit_pk>/remove/",
        accounts.account_unit_role_remove,
        name="account_unit_role_remove",
    ),
    path("accounts/<int:pk>/groups/", accounts.account_groups_set, name="account_groups_set"),
    path("accounts/<int:pk>/deactivate/", accounts.account_deactivate, name="account_deactivate"),
    path("accounts/<int:pk>/reactivate/", accounts.account_reactivate, name="account_reactivate"),
    path("accounts/<int:pk>/invitation/", accounts.invitation_send, name="invitation_send"),
    path("accounts/import/", account_import.account_import, name="account_import"),
    path(
        "accounts/import/confirm/",
        account_import.account_import_confirm,
        name="account_import_confirm",
    ),
    path(
        "accounts/import/tai-khoan.xlsx",
        account_import.account_import_template,
        name="account_import_template",
    ),
    path(
        "accounts/invitation/<uidb64>/<token>/",
        invitations.invitation_accept_view,
        name="invitation_accept",
    ),
]
