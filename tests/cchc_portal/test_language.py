import pytest
from django.conf import settings


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
