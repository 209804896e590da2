import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_pages_are_vietnamese_whatever_the_browser_asks_for(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "vi"
    assert '<html lang="vi"' in response.content.decode()


@pytest.mark.django_db
def test_the_language_switcher_turns_the_portal_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get("/").headers["Content-Language"] == "en"
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    assert client.get("/").headers["Content-Language"] == "vi"


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert client.get("/").headers["Content-Language"] == "vi"


@pytest.mark.django_db
def test_the_language_switch_needs_no_csrf_token_but_stays_a_post():
    # A display preference: a forged switch harms nothing, so the switcher carries no
    # token and the public pages can be cached whole (reports.views.page_cache).
    client = Client(enforce_csrf_checks=True)
    assert reverse("set_language") == "/i18n/setlang/"
    response = client.post(reverse("set_language"), {"language": "en", "next": "/quyet-dinh/"})
    assert response.status_code == 302
    assert response["Location"] == "/quyet-dinh/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get("/").content.decode()
    assert 'action="/i18n/setlang/" method="post"' in html
    assert "csrfmiddlewaretoken" not in html
    # A GET changes nothing.
    client.get(reverse("set_language"), {"language": "vi"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
def test_other_forms_still_need_their_csrf_token(staff):
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.post(reverse("logout")).status_code == 403
