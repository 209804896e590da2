"""The invited person chooses a first password through the link of their invitation."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from cchc_portal.accounts.services.invitations import invitation_accept, invitation_tokens


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """Django's reset confirmation with the invitation's token, for active accounts only;
    once the password is chosen, the person is logged in."""

    token_generator = invitation_tokens
    template_name = "accounts/invitation_accept.html"
    success_url = reverse_lazy("home")
    post_reset_login = True
    # Several backends are installed (django-axes first): say which one logs them in.
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "contact": settings.LOGIN_HELP_CONTACT}

    def form_valid(self, form):
        response = super().form_valid(form)
        invitation_accept(user=form.user)
        messages.success(self.request, _("Welcome: your password is set, and you are logged in."))
        return response


invitation_accept_view = InvitationAcceptView.as_view()
