"""Inviting a new account: a mail with a link to choose a first password, that expires.

The link is Django's password-reset token (PasswordResetTokenGenerator) under a salt of
its own, so a reset link cannot serve as an invitation or the reverse, and with a longer
life (settings.INVITATION_TIMEOUT, a week rather than the reset's day): nobody asked for
an invitation when it comes, and a commune officer may read the unit's mailbox days
later. Like a reset token it dies once used (the password changes), when a new one is
sent (the account gets a fresh unusable password) and when the e-mail address changes.

Mail is sent after the account is committed, by a background task for many accounts at
once, and every outcome is kept on the Invitation: a failed sending is shown to staff
with its reason and sent again from the account's page. An account never depends on
its mail.
"""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_tasks import task

from cchc_portal.accounts.models import Invitation
from cchc_portal.accounts.services.roles import AccountError, locked_account, require_may_manage
from units.models import APPRAISER_GROUP, STAFF_GROUP, Membership, Province
from units.people import person_name

logger = logging.getLogger(__name__)
User = get_user_model()

# Accounts per background task: a province's import brings hundreds at once.
DELIVERY_BATCH = 200


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "cchc_portal.accounts.services.invitations.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        """Django's check with INVITATION_TIMEOUT for PASSWORD_RESET_TIMEOUT, which its
        check_token reads from settings with no way to pass another."""
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        return self._num_seconds(self._now()) - timestamp <= settings.INVITATION_TIMEOUT


invitation_tokens = InvitationTokenGenerator()


def invitation_link(account) -> str:
    path = reverse(
        "accounts:invitation_accept",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(account.pk)),
            "token": invitation_tokens.make_token(account),
        },
    )
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def invitations_start(*, accounts: list, actor) -> None:
    """Record the invitations of accounts just created, and have them sent once committed."""
    now = timezone.now()
    Invitation.objects.bulk_create(
        [Invitation(user=account, invited_by=actor, queued_at=now) for account in accounts],
        batch_size=500,
    )
    _deliver_after_commit([account.pk for account in accounts])


def _deliver_after_commit(user_ids: list[int]) -> None:
    def enqueue() -> None:
        for start in range(0, len(user_ids), DELIVERY_BATCH):
            invitations_deliver.enqueue(user_ids=user_ids[start : start + DELIVERY_BATCH])

    # Never before the commit: a mail must not point at an account that was rolled back.
    transaction.on_commit(enqueue)


@task()
def invitations_deliver(user_ids: list[int]) -> int:
    """The worker's job: send the invitations of these accounts; how many were sent."""
    invitations = list(
        Invitation.objects.filter(user_id__in=user_ids, accepted_at__isnull=True)
        .select_related("user", "invited_by")
        .order_by("pk")
    )
    sent, tried = 0, set()
    try:
        # One connection for the whole batch, as send_mass_mail does.
        with get_connection() as connection:
            for invitation in invitations:
                tried.add(invitation.pk)
                sent += invitation_deliver(invitation, connection=connection)
    except Exception as error:  # the mail server refused the connection itself
        for invitation in invitations:
            if invitation.pk not in tried:
                _record_failure(invitation, error)
    return sent


def invitation_deliver(invitation: Invitation, *, connection=None) -> bool:
    """Send one invitation now and record how it went; True when the server took it."""
    account = invitation.user
    now = timezone.now()
    try:
        if not account.is_active:
            raise AccountError(_("the account is deactivated."))
        if not account.email:
            raise AccountError(_("the account has no e-mail address."))
        _message(invitation, connection).send()
    except Exception as error:  # SMTP, network, DNS: each is a "not sent", never lost
        _record_failure(invitation, error)
        return False
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=now, attempts=invitation.attempts + 1
    )
    invitation.sent_at, invitation.attempts = now, invitation.attempts + 1
    return True


def _record_failure(invitation: Invitation, error: Exception) -> None:
    reason = str(error) if isinstance(error, AccountError) else f"{type(error).__name__}: {error}"
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(
        failed_at=now, failure=reason[:500], attempts=invitation.attempts + 1
    )
    invitation.failed_at, invitation.failure = now, reason[:500]
    invitation.attempts += 1
    logger.warning(
        "Invitation of %s not sent: %s", invitation.user.get_username(), invitation.failure
    )


def _message(invitation: Invitation, connection) -> EmailMessage:
    account = invitation.user
    # The mail is written in the portal's language, whoever's request queued it.
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "name": person_name(account),
            "username": account.get_username(),
            "roles": _role_lines(account),
            "link": invitation_link(account),
            "valid_days": settings.INVITATION_TIMEOUT // (24 * 3600),
            "login_url": settings.PORTAL_BASE_URL.rstrip("/") + reverse("login"),
            "invited_by": person_name(invitation.invited_by),
            "province": Province.current(),
            "contact": settings.LOGIN_HELP_CONTACT,
        }
        subject = render_to_string("accounts/email/invitation_subject.txt", context)
        body = render_to_string("accounts/email/invitation_body.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[account.email],
        connection=connection,
    )


def _role_lines(account) -> list[str]:
    lines = [
        _("%(role)s of %(unit)s") % {"role": m.get_role_display(), "unit": m.unit.name}
        for m in Membership.objects.filter(user=account).select_related("unit").order_by("pk")
    ]
    groups = set(account.groups.values_list("name", flat=True))
    if APPRAISER_GROUP in groups:
        lines.append(_("member of the appraisal council"))
    if STAFF_GROUP in groups:
        lines.append(_("Interior Department staff"))
    return lines


def invitation_send_again(*, actor, user) -> Invitation:
    """A new invitation now, the previous link made void; the outcome is on the row returned.

    Refused for an account that has chosen its password (the login page's "forgot your
    password" serves it), a deactivated one, or one without an e-mail address.
    """
    with transaction.atomic():
        account = locked_account(user)
        require_may_manage(actor, account)
        if account.has_usable_password():
            raise AccountError(
                _(
                    "%(user)s has already chosen a password: they can reset it from the "
                    "login page (“Forgot your password?”)."
                )
                % {"user": account.get_username()}
            )
        if not account.is_active:
            raise AccountError(_("The account is deactivated: reactivate it first."))
        if not account.email:
            raise AccountError(_("The account has no e-mail address: add one first."))
        # A fresh unusable password voids every link sent before (the token hashes it).
        account.set_unusable_password()
        account.save(update_fields=["password"])
        invitation, _created = Invitation.objects.get_or_create(
            user=account, defaults={"invited_by": actor, "queued_at": timezone.now()}
        )
        Invitation.objects.filter(pk=invitation.pk).update(queued_at=timezone.now())
    # Sent at once, so that staff see the outcome on the page they are on.
    invitation.refresh_from_db()
    invitation.user = account
    invitation_deliver(invitation)
    invitation.refresh_from_db()
    return invitation


def invitation_accept(*, user) -> None:
    """The invited person has chosen their password (cchc_portal.accounts.views)."""
    Invitation.objects.filter(user=user, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
