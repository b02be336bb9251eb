"""<link rel="alternate"> autodiscovery: the site feeds plus the feeds of the page in view."""

import lxml.html
import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from masthead.news.models import Topic

SITE = [
    ("application/rss+xml", "/feeds/rss.xml"),
    ("application/atom+xml", "/feeds/atom.xml"),
    ("application/feed+json", "/feeds/feed.json"),
]


def scoped(kind, key):
    return [
        ("application/rss+xml", f"/feeds/{kind}/{key}/rss.xml"),
        ("application/atom+xml", f"/feeds/{kind}/{key}/atom.xml"),
        ("application/feed+json", f"/feeds/{kind}/{key}/feed.json"),
    ]


def alternates(html):
    document = lxml.html.fromstring(f"<html><head>{html}</head><body></body></html>")
    found = document.xpath("//link[@rel='alternate']")
    assert all(link.get("title") for link in found)
    return [(link.get("type"), link.get("href")) for link in found]


@pytest.fixture
def pages(make_section, make_story, make_author):
    news = make_section("News")
    iraq = make_section("Iraq", parent=news)
    author = make_author("Grace Mwangi")
    story = make_story(section=iraq, title="Autodiscovered", topics=["Nairobi"], authors=[author])
    return {
        "iraq": iraq,
        "story": story,
        "author": author,
        "topic": Topic.objects.get(slug="nairobi"),
    }


def render(context, django_assert_num_queries):
    context = {
        "request": RequestFactory().get("/"),
        "chrome": {"site": {"name": "Masthead News"}},
        **context,
    }
    with django_assert_num_queries(0):
        return render_to_string("syndication/feed_links.html", context)


def test_site_feeds_on_every_page(db, django_assert_num_queries):
    html = render({}, django_assert_num_queries)
    assert alternates(html) == SITE
    assert 'title="Masthead News (RSS)"' in html


def test_section_page(pages, django_assert_num_queries):
    html = render({"page": pages["iraq"]}, django_assert_num_queries)
    assert alternates(html) == SITE + scoped("section", "news/iraq")
    assert 'title="Masthead News: Iraq (Atom)"' in html


def test_article_page_links_its_section(pages, django_assert_num_queries):
    html = render({"page": pages["story"]}, django_assert_num_queries)
    assert alternates(html) == SITE + scoped("section", "news/iraq")


def test_author_page(pages, django_assert_num_queries):
    html = render({"page": pages["author"]}, django_assert_num_queries)
    assert alternates(html) == SITE + scoped("author", "grace-mwangi")


def test_topic_context(pages, django_assert_num_queries, home):
    html = render({"page": home, "topic": pages["topic"]}, django_assert_num_queries)
    assert alternates(html) == SITE + scoped("topic", "nairobi")


def test_every_linked_feed_exists(client, pages):
    html = render_to_string(
        "syndication/feed_links.html", {"page": pages["story"], "topic": pages["topic"]}
    )
    for _type, href in alternates(html):
        assert client.get(href).status_code == 200, href


def test_served_pages_carry_the_links(client, pages):
    """Through base.html, on the real article, section and author pages."""
    for page, kind, key in [
        (pages["story"], "section", "news/iraq"),
        (pages["iraq"], "section", "news/iraq"),
        (pages["author"], "author", "grace-mwangi"),
    ]:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        head = lxml.html.fromstring(response.content).find("head")
        found = [
            (link.get("type"), link.get("href")) for link in head.iterfind("link[@rel='alternate']")
        ]
        assert found[:6] == SITE + scoped(kind, key), page.url


def test_topic_page_carries_the_topic_links(client, pages):
    response = client.get("/topics/nairobi/")
    assert response.status_code == 200
    head = lxml.html.fromstring(response.content).find("head")
    found = [
        (link.get("type"), link.get("href")) for link in head.iterfind("link[@rel='alternate']")
    ]
    assert found[:6] == SITE + scoped("topic", "nairobi")


def test_an_article_names_its_section_feeds_by_their_titles(pages, client):
    html = client.get(pages["story"].url).content.decode()
    assert ': News / Iraq (RSS)"' in html
    assert "news / iraq" not in html
