"""Staff's lockout page, and Django's password views set up for the portal."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cchc_portal.accounts.forms.lockouts import LockoutReleaseForm
from cchc_portal.accounts.lockout import lockout_minutes
from cchc_portal.accounts.selectors import lockouts as selectors
from cchc_portal.accounts.services import lockouts as services
from units.decorators import staff_required


@staff_required
@require_GET
def lockout_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/lockout_list.html",
        {
            "locked": selectors.locked_logins(),
            "releases": selectors.recent_releases(),
            "lockout_minutes": lockout_minutes(),
            "lockout_failure_limit": settings.AXES_FAILURE_LIMIT,
        },
    )


@staff_required
@require_POST
def lockout_release(request: HttpRequest) -> HttpResponse:
    form = LockoutReleaseForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Unknown lockout."))
    try:
        release = services.lockout_release(actor=request.user, **form.cleaned_data)
    except services.LockoutReleaseRefused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request,
            _("%(username)s can log in again from %(address)s.")
            % {"username": release.username, "address": release.ip_address or "?"},
        )
    return redirect("accounts:lockout_list")


password_change = auth_views.PasswordChangeView.as_view(
    success_url=reverse_lazy("accounts:password_change_done")
)
password_change_done = auth_views.PasswordChangeDoneView.as_view()
password_reset = auth_views.PasswordResetView.as_view(
    success_url=reverse_lazy("accounts:password_reset_done"),
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
)
password_reset_done = auth_views.PasswordResetDoneView.as_view()
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    success_url=reverse_lazy("accounts:password_reset_complete")
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view()
