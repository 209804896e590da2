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
from django.db.models import F, Prefetch
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
    return len(_deliver(_pending(user_ids)))


def _pending(user_ids: list[int]) -> list[Invitation]:
    """The invitations not yet taken up, with what their mails say: four queries a batch."""
    return list(
        Invitation.objects.filter(user_id__in=user_ids, accepted_at__isnull=True)
        .select_related("user", "invited_by")
        .prefetch_related(
            Prefetch(
                "user__memberships",
                queryset=Membership.objects.select_related("unit").order_by("pk"),
            ),
            "user__groups",
        )
        .order_by("pk")
    )


def invitation_deliver(invitation: Invitation) -> bool:
    """Send one invitation now and record how it went; True when the server took it."""
    return bool(_deliver(_pending([invitation.user_id])))


def _deliver(invitations: list[Invitation]) -> list[Invitation]:
    """Send each over one connection, then record every outcome at once; those sent.

    The outcomes are written together, in one transaction, once the batch is through:
    a row written per mail would cost a commit each (SQLite syncs the disk on each).
    A worker stopped midway leaves its batch "waiting", and staff send those again.
    """
    province = Province.current()
    now = timezone.now()
    sent, failed = [], []
    try:
        with get_connection() as connection:  # one connection, as send_mass_mail does
            for invitation in invitations:
                try:
                    _message(invitation, connection, province).send()
                except Exception as error:  # SMTP, network, DNS: a "not sent", never lost
                    _failed(invitation, error, now)
                    failed.append(invitation)
                else:
                    invitation.sent_at = now
                    sent.append(invitation)
                invitation.attempts += 1
    except Exception as error:  # the mail server refused the connection itself
        done = {invitation.pk for invitation in sent + failed}
        for invitation in invitations:
            if invitation.pk not in done:
                _failed(invitation, error, now)
                invitation.attempts += 1
                failed.append(invitation)
    # One UPDATE for the mails sent, one per reason of failure (usually one or none):
    # bulk_update's CASE per row costs more than the mails themselves.
    reasons: dict[str, list[int]] = {}
    for invitation in failed:
        reasons.setdefault(invitation.failure, []).append(invitation.pk)
    with transaction.atomic():
        Invitation.objects.filter(pk__in=[i.pk for i in sent]).update(
            sent_at=now, attempts=F("attempts") + 1
        )
        for reason, ids in reasons.items():
            Invitation.objects.filter(pk__in=ids).update(
                failed_at=now, failure=reason, attempts=F("attempts") + 1
            )
    return sent


def _failed(invitation: Invitation, error: Exception, now) -> None:
    reason = str(error) if isinstance(error, AccountError) else f"{type(error).__name__}: {error}"
    invitation.failed_at, invitation.failure = now, reason[:500]
    logger.warning("Invitation of %s not sent: %s", invitation.user.get_username(), reason)


def _message(invitation: Invitation, connection, province: Province | None) -> EmailMessage:
    account = invitation.user
    if not account.is_active:
        raise AccountError(_("the account is deactivated."))
    if not account.email:
        raise AccountError(_("the account has no e-mail address."))
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
            "province": province,
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
    """The account's roles, from what _pending fetched with it."""
    lines = [
        _("%(role)s of %(unit)s") % {"role": m.get_role_display(), "unit": m.unit.name}
        for m in account.memberships.all()
    ]
    groups = {group.name for group in account.groups.all()}
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
    invitation_deliver(invitation)
    invitation.refresh_from_db()
    return invitation


def invitation_accept(*, user) -> None:
    """The invited person has chosen their password (cchc_portal.accounts.views)."""
    Invitation.objects.filter(user=user, accepted_at__isnull=True).update(
        accepted_at=timezone.now()
    )
