"""Nothing a reader sends may cause a 500: unknown paths, odd query strings, bad bytes."""

import pytest
from django.test import Client

from .html import one, parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def site_with_story(iraq, make_article):
    make_article(section=iraq, title="A story")
    return iraq


def test_unknown_url_gives_404_page_with_navigation(client, site_with_story):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    tree = parse(response)
    assert one(tree, "//h1").text == "Page not found"
    nav = one(tree, '//nav[@aria-label="Sections"]')
    assert [a.get("href") for a in nav.xpath(".//a")] == ["/news/"]
    assert one(tree, '//form[@role="search"]//input[@id="notfound-q"]') is not None
    assert "Surrogate-Key" not in response


@pytest.mark.parametrize(
    "url",
    [
        "/?page=abc",
        "/news/iraq/?page=99999999999999999999",
        "/news/iraq/?page=-1",
        "/topics/baghdad/?page=abc",
        "/search/?q=oil&page=99999999999999999999",
        "/search/?q=oil&page=abc",
        "/search/?q=oil&page=0",
        "/search/?q=",
        "/search/?q=%22unbalanced",
        "/search/?q=(((oil",
        "/search/?q=AND+OR+NOT",
        "/search/?q=*",
        "/search/?q=" + "x" * 5000,
        "/search/?q=%00",
        "/search/?q=a:b:c",
        "/search/?q[]=1&q[]=2",
        "/news/iraq/a-story/?utm_source=%ff%fe",
        "/authors/?page=%ff",
    ],
)
def test_odd_query_strings_never_500(client, site_with_story, url):
    response = client.get(url)
    assert response.status_code in (200, 404), url


@pytest.mark.parametrize(
    "path",
    [
        "/news/iraq/page/99999999999999999999/",
        "/news/iraq/page/abc/",
        "/news/iraq/page/0/",
        "/news/iraq/page/-1/",
        "/topics/%ff%fe/",
        "/news/%c0%af/",
        "/news/iraq/a-story/extra/",
        "/authors/nobody/",
    ],
)
def test_bad_paths_are_not_found(client, site_with_story, path):
    assert client.get(path).status_code == 404


def test_non_utf8_bytes_in_the_query_string(site_with_story):
    client = Client(raise_request_exception=False)
    for raw in (b"q=%ff%fe%fd", b"q=caf\xe9", b"page=\xff"):
        response = client.get("/search/", QUERY_STRING=raw.decode("latin-1"))
        assert response.status_code == 200
        response = client.get("/news/iraq/", QUERY_STRING=raw.decode("latin-1"))
        assert response.status_code == 200


def test_search_page_numbers_past_the_end_show_the_last_page(client, site_with_story):
    tree = parse(client.get("/search/?q=story&page=99999999999999999999"))
    assert [a.text for a in tree.xpath("//main//ol//h2/a")] == ["A story"]


def test_500_page_needs_no_database(rf, django_assert_num_queries):
    from masthead.news.views import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b'href="/"' in response.content
