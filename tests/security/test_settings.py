"""Production settings: secure cookies and HTTPS whenever DEBUG is off."""

import runpy

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

BASE_SETTINGS = django_settings.BASE_DIR / "masthead" / "settings" / "base.py"
CONTROLLING_VARIABLES = ("DEBUG", "SECURE_COOKIES", "BEHIND_HTTPS_PROXY", "SECURE_SSL_REDIRECT")


@pytest.fixture
def load_settings(monkeypatch, tmp_path):
    def load(**env):
        for name in CONTROLLING_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("MASTHEAD_VAR_DIR", str(tmp_path))
        monkeypatch.setenv("SECRET_KEY", "settings-test")
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(BASE_SETTINGS))

    return load


def test_cookies_are_secure_when_debug_is_off(load_settings):
    conf = load_settings()
    assert conf["DEBUG"] is False
    assert conf["SESSION_COOKIE_SECURE"] is True
    assert conf["CSRF_COOKIE_SECURE"] is True
    assert conf["SESSION_COOKIE_HTTPONLY"] is True
    assert conf["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert conf["X_FRAME_OPTIONS"] == "DENY"


def test_local_demo_may_use_plain_http_cookies(load_settings):
    conf = load_settings(DEBUG="1")
    assert conf["SESSION_COOKIE_SECURE"] is False
    assert conf["CSRF_COOKIE_SECURE"] is False


def test_behind_an_https_proxy(load_settings):
    conf = load_settings(BEHIND_HTTPS_PROXY="1")
    assert conf["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert conf["SECURE_SSL_REDIRECT"] is True
    assert conf["SECURE_HSTS_SECONDS"] >= 31_536_000


def test_login_cookie_carries_the_flags(client, settings, editor):
    """With the production cookie settings, the admin session cookie is Secure and HttpOnly."""
    from tests.people import PASSWORD

    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    response = client.post(
        "/admin/login/", {"username": editor.username, "password": PASSWORD}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] and session["httponly"]
    assert session["samesite"].lower() == "lax"


def test_admin_sends_nothing_to_gravatar(editor_client, settings):
    """Staff avatars would come from gravatar.com: it learns who works here (a hash of each
    email address) and our admin CSP blocks the images anyway."""
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None
    assert b"gravatar" not in editor_client.get("/admin/").content


def test_the_frontend_cache_comes_from_json_and_bad_json_says_which_variable(load_settings):
    assert load_settings()["WAGTAILFRONTENDCACHE"] == {}
    proxy = '{"proxy": {"BACKEND": "x.HTTPBackend", "LOCATION": "http://127.0.0.1:6081"}}'
    conf = load_settings(MASTHEAD_FRONTEND_CACHE=proxy)
    assert conf["WAGTAILFRONTENDCACHE"]["proxy"]["LOCATION"] == "http://127.0.0.1:6081"
    with pytest.raises(ImproperlyConfigured, match="MASTHEAD_FRONTEND_CACHE is not valid JSON"):
        load_settings(MASTHEAD_FRONTEND_CACHE="{proxy: varnish}")
