"""A session idle for longer than the limit (30 minutes) ends on the login page."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from cchc_portal.accounts.middleware import LAST_ACTIVITY

pytestmark = pytest.mark.django_db

MINUTE = 60


def idle_for(client, seconds: int) -> None:
    """Pretend the latest request of this session was `seconds` ago."""
    session = client.session
    session[LAST_ACTIVITY] = int(time.time()) - seconds
    session.save()


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    assert client.get(reverse("units:unit_list")).status_code == 200
    return client


def test_the_limit_is_thirty_minutes(settings):
    assert settings.SESSION_IDLE_TIMEOUT == 30 * MINUTE


def test_a_request_after_the_idle_limit_lands_on_the_login_page(staff_client):
    idle_for(staff_client, 31 * MINUTE)
    response = staff_client.get(reverse("units:unit_list") + "?q=gd")
    assert response.status_code == 302
    assert response["Location"] == reverse("login") + "?next=%2Funits%2F%3Fq%3Dgd"
    assert SESSION_KEY not in staff_client.session

    page = staff_client.get(response["Location"]).content.decode()
    assert "Phiên làm việc đã hết hạn sau 30 phút không hoạt động." in page
    assert 'name="next" value="/units/?q=gd"' in page


def test_a_public_page_after_the_limit_also_says_so(staff_client):
    idle_for(staff_client, 31 * MINUTE)
    response = staff_client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert "Phiên làm việc đã hết hạn" in response.content.decode()


def test_a_form_posted_after_the_limit_returns_to_its_page(staff_client, staff):
    idle_for(staff_client, 31 * MINUTE)
    response = staff_client.post(reverse("logout"), HTTP_REFERER="http://testserver/units/so-gddt/")
    assert response["Location"] == reverse("login") + "?next=%2Funits%2Fso-gddt%2F"
    # Another site's address is never a place to return to.
    staff_client.force_login(staff)
    idle_for(staff_client, 31 * MINUTE)
    response = staff_client.post(reverse("logout"), HTTP_REFERER="https://evil.example/")
    assert response["Location"] == reverse("login")


def test_activity_within_the_limit_keeps_the_session(staff_client):
    idle_for(staff_client, 29 * MINUTE)
    assert staff_client.get(reverse("units:unit_list")).status_code == 200
    # That request counted as activity: another 29 minutes later the session is alive.
    assert time.time() - staff_client.session[LAST_ACTIVITY] < MINUTE
    idle_for(staff_client, 29 * MINUTE)
    assert staff_client.get(reverse("units:unit_list")).status_code == 200


def test_the_time_of_activity_is_written_at_most_once_a_minute(staff_client):
    """Most requests leave the session row alone (README: "Sessions")."""
    idle_for(staff_client, 20)
    written = staff_client.session[LAST_ACTIVITY]
    response = staff_client.get(reverse("units:unit_list"))
    assert staff_client.session[LAST_ACTIVITY] == written
    assert "sessionid" not in response.cookies

    idle_for(staff_client, 2 * MINUTE)
    response = staff_client.get(reverse("units:unit_list"))
    assert time.time() - staff_client.session[LAST_ACTIVITY] < MINUTE
    assert "sessionid" in response.cookies


def test_logging_in_counts_as_activity(client, staff):
    """The pages right after logging in do not write the session again."""
    client.post(reverse("login"), {"username": "staff", "password": "pw"})
    assert time.time() - client.session[LAST_ACTIVITY] < MINUTE
    response = client.get(reverse("units:unit_list"))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies


def test_anonymous_visitors_are_not_touched(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies
