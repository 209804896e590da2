"""What the accounts tests share: a superuser, staff member's colleague, and mail that fails."""

import pytest
from django.core import mail

from tests.factories import STAFF_GROUP, make_user


@pytest.fixture
def superuser(db):
    user = make_user(username="root")
    user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def staff_2(db):
    """Another Interior Department staff member."""
    return make_user(username="staff_2", groups=(STAFF_GROUP,))


@pytest.fixture
def refusing_mail(settings):
    """A mail server that refuses every message (the account must survive it)."""
    settings.EMAIL_BACKEND = "tests.cchc_portal.accounts.mail_backends.RefusingBackend"


@pytest.fixture
def unreachable_mail(settings):
    """A mail server that cannot be reached at all."""
    settings.EMAIL_BACKEND = "tests.cchc_portal.accounts.mail_backends.UnreachableBackend"


@pytest.fixture
def outbox():
    mail.outbox = []
    return mail.outbox
