"""The admin and every login form answer only on the newsroom's hosts, never on a mirror."""

import pytest
from wagtail.models import PageViewRestriction

from masthead.mirrors.models import Mirror

LIVE_HOST = "live-mirror.example"
ONION_HOST = "newsroomexampleonionaddressabcdefghijklmnopqrstuvwxyz23.onion"


@pytest.fixture
def mirrors(db):
    Mirror.objects.create(address=f"https://{LIVE_HOST}/", kind="live")
    Mirror.objects.create(address=f"http://{ONION_HOST}/", kind="onion")


@pytest.mark.parametrize("path", ["/admin/", "/admin/login/", "/_util/login/"])
@pytest.mark.parametrize("host", [LIVE_HOST, ONION_HOST])
def test_admin_and_login_are_404_on_mirror_hosts(client, home, mirrors, host, path):
    # The public site itself answers there: the host is accepted, only the newsroom is hidden.
    assert client.get("/", HTTP_HOST=host).status_code == 200
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 404
    assert b'name="password"' not in response.content


def test_admin_login_post_on_a_mirror_never_authenticates(client, editor, mirrors):
    response = client.post(
        "/admin/login/",
        {"username": editor.username, "password": "a-long-test-passphrase-42"},
        HTTP_HOST=LIVE_HOST,
    )
    assert response.status_code == 404
    assert "_auth_user_id" not in client.session


def test_admin_login_page_on_the_primary_host(client, home, mirrors):
    response = client.get("/admin/login/")  # testserver: the primary host in the tests
    assert response.status_code == 200
    assert b'name="password"' in response.content
    assert client.get("/_util/login/").status_code == 200


def test_an_added_onion_host_gets_the_admin(client, editor, mirrors, settings):
    settings.MASTHEAD_ADMIN_HOSTS = ["testserver", ONION_HOST]
    assert client.get("/admin/login/", HTTP_HOST=ONION_HOST).status_code == 200
    client.force_login(editor)
    assert client.get("/admin/", HTTP_HOST=ONION_HOST).status_code == 200
    # Listing hosts replaces the default: the live mirror still gets nothing.
    assert client.get("/admin/login/", HTTP_HOST=LIVE_HOST).status_code == 404


def test_default_is_the_primary_host_only(client, home, settings):
    settings.PRIMARY_URL = "https://news.example"
    settings.ALLOWED_HOSTS = ["news.example", "testserver"]
    settings.MASTHEAD_ADMIN_HOSTS = []
    assert client.get("/admin/login/", HTTP_HOST="news.example").status_code == 200
    assert client.get("/admin/login/").status_code == 404


@pytest.mark.parametrize("kind", [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN])
def test_restricted_page_shows_no_form_on_a_mirror(client, make_article, mirrors, kind):
    article = make_article(title="Private briefing")
    PageViewRestriction.objects.create(page=article, restriction_type=kind, password="s3cret")
    url = article.get_url()
    on_primary = client.get(url)
    if kind == PageViewRestriction.PASSWORD:
        assert on_primary.status_code == 200
        assert b'name="password"' in on_primary.content
    else:
        assert on_primary.status_code == 302
    for host in (LIVE_HOST, ONION_HOST):
        response = client.get(url, HTTP_HOST=host)
        assert response.status_code == 404
        assert b'name="password"' not in response.content
        assert b"Private briefing" not in response.content
        password_view = f"/_util/authenticate_with_password/{article.view_restrictions.get().pk}/"
        assert client.post(password_view + f"{article.pk}/", HTTP_HOST=host).status_code == 404
