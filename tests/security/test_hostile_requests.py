"""Nothing a reader sends makes the site answer 500."""

import pytest
from django.test import Client

HUGE = 64 * 1024


@pytest.fixture
def story(make_article, make_section):
    return make_article(section=make_section("Iraq", parent=make_section("News")), title="Rates")


@pytest.fixture
def strict_reader():
    """Like a browser: CSRF enforced, server errors returned rather than raised."""
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def assert_no_server_error(response, what):
    assert response.status_code < 500, (what, response.status_code)


@pytest.mark.parametrize(
    "header",
    [
        "HTTP_USER_AGENT",
        "HTTP_ACCEPT",
        "HTTP_ACCEPT_LANGUAGE",
        "HTTP_ACCEPT_ENCODING",
        "HTTP_REFERER",
        "HTTP_COOKIE",
        "HTTP_X_FORWARDED_FOR",
        "HTTP_IF_NONE_MATCH",
        "HTTP_IF_MODIFIED_SINCE",
        "HTTP_RANGE",
    ],
)
def test_huge_header_values(reader, story, header):
    for url in ("/", story.url, "/admin/login/"):
        response = reader.get(url, **{header: "x;=," * (HUGE // 4)})
        assert_no_server_error(response, (header, url))


@pytest.mark.parametrize(
    "host",
    ["evil.example", "bad host", "x" * 300 + ".example", "[::1", "testserver:99999x", "a@b", ""],
)
def test_bad_host_header_is_400(reader, home, host):
    response = reader.get("/", HTTP_HOST=host)
    assert response.status_code == 400, host


@pytest.mark.parametrize(
    "path",
    [
        "/news/%ff%fe/",
        "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
        "/news/iraq/%ff/",
        "/topics/%ff%fe/",
        "/authors/%e2%82/",
        "/admin/%ff/",
        "/news/%00/",
        "/" + "a" * 10_000 + "/",
        "/news/iraq/page/999999999999999999999999/",
        "/news/iraq/page/-1/",
        "/search/?q=%ff%fe",
        "/search/?q=" + "x" * 5_000,
        "/search/?q=%00",
        "/news/iraq/?page=%ff",
        "/?%ff=%fe",
        "/feeds/%ff/",
        "/media/..%2f..%2fsecret_key",
        "/static/..%2f..%2fsecret_key",
    ],
)
def test_odd_paths_and_queries(reader, story, path):
    assert_no_server_error(reader.get(path), path)


def test_post_to_public_pages(strict_reader, reader, story):
    for url in ("/", "/news/iraq/", story.url, "/search/?q=x"):
        assert_no_server_error(strict_reader.post(url, {"a": "b"}), url)
        assert_no_server_error(reader.post(url, {"a": "b"}), url)
        assert_no_server_error(
            reader.post(url, b"\xff\xfe\x00garbage", content_type="application/json"), url
        )


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "OPTIONS", "PROPFIND", "TRACE"])
def test_other_methods(reader, story, method):
    assert_no_server_error(reader.generic(method, story.url), method)


def test_head_matches_get(reader, story):
    get = reader.get(story.url)
    head = reader.head(story.url)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    # The same headers a GET sends, so caches and link checkers see the same page.
    for header in ("Content-Type", "Cache-Control", "Content-Security-Policy", "ETag"):
        assert head.get(header) == get.get(header), header
    assert int(head.get("Content-Length", len(get.content))) == len(get.content)


def test_overlong_login_fields(reader, home):
    response = reader.post("/admin/login/", {"username": "u" * 5_000, "password": "p" * 50_000})
    assert_no_server_error(response, "login")
    assert "_auth_user_id" not in reader.session


def test_many_form_fields(reader, home):
    data = {f"f{i}": "x" for i in range(20_000)}
    assert_no_server_error(reader.post("/admin/login/", data), "many fields")
