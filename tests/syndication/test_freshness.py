"""Caching and freshness: publishes show at once, unpublishes vanish, conditional GETs get 304."""

import datetime as dt
import json

import pytest
from django.utils.http import http_date

from masthead.syndication import export

from .conftest import fetch, parse_feed, parse_xml, sitemap_locs


@pytest.fixture
def setting(make_section, make_story, make_author):
    news = make_section("News")
    iraq = make_section("Iraq", parent=news)
    author = make_author("Reza Farahani")
    make_story(section=iraq, title="Already there", topics=["Mosul"], authors=[author])
    return {"news": news, "iraq": iraq, "author": author}


def outputs_with(client, story):
    """Which outputs mention this story, by path."""
    month = story.first_published_at.astimezone(dt.UTC)
    found = set()
    for path in [
        "/feeds/rss.xml",
        "/feeds/atom.xml",
        "/feeds/section/news/rss.xml",
        "/feeds/section/news/iraq/atom.xml",
        "/feeds/topic/mosul/rss.xml",
        "/feeds/author/reza-farahani/rss.xml",
    ]:
        if story.title in [entry.title for entry in parse_feed(client, path).entries]:
            found.add(path)
    for path in ["/feeds/feed.json", "/feeds/section/news/iraq/feed.json"]:
        if story.title in [
            item["title"] for item in json.loads(fetch(client, path).content)["items"]
        ]:
            found.add(path)
    url = f"http://testserver{story.url}"
    for path in ["/sitemaps/news.xml", f"/sitemaps/{month:articles-%Y-%m}.xml"]:
        response = client.get(path)
        if response.status_code == 200 and url in sitemap_locs(parse_xml(client, path)):
            found.add(path)
    return found


def test_publish_then_unpublish_shows_and_hides_everywhere(client, setting, make_story):
    # Warm every output first, so the test proves invalidation rather than a cold cache.
    first = make_story(
        section=setting["iraq"], title="Warm-up", topics=["Mosul"], authors=[setting["author"]]
    )
    assert len(outputs_with(client, first)) == 10
    story = make_story(
        section=setting["iraq"], title="Breaking", topics=["Mosul"], authors=[setting["author"]]
    )
    assert len(outputs_with(client, story)) == 10
    index = parse_xml(client, "/sitemap.xml")
    month = story.first_published_at.astimezone(dt.UTC)
    assert f"http://testserver/sitemaps/{month:articles-%Y-%m}.xml" in "".join(index.itertext())
    story.unpublish()
    assert outputs_with(client, story) == set()


def test_delete_and_move_are_seen(client, setting, make_section, make_story):
    story = make_story(section=setting["iraq"], title="Will move")
    assert "Will move" in [
        e.title for e in parse_feed(client, "/feeds/section/news/iraq/rss.xml").entries
    ]
    sports = make_section("Sports")
    story.move(sports, pos="last-child")
    assert "Will move" not in [
        e.title for e in parse_feed(client, "/feeds/section/news/iraq/rss.xml").entries
    ]
    moved = parse_feed(client, "/feeds/section/sports/rss.xml")
    assert [e.link for e in moved.entries] == ["http://testserver/sports/will-move/"]
    story.refresh_from_db()
    story.delete()
    assert parse_feed(client, "/feeds/section/sports/rss.xml").entries == []


def test_edit_and_publish_updates_the_feed(client, setting, make_story):
    story = make_story(section=setting["iraq"], title="First headline")
    assert parse_feed(client, "/feeds/rss.xml").entries[0].title == "First headline"
    story.title = "Second headline"
    story.save_revision().publish()
    assert parse_feed(client, "/feeds/rss.xml").entries[0].title == "Second headline"


def test_a_repeat_request_is_served_from_the_cache(client, setting, django_assert_num_queries):
    first = fetch(client, "/feeds/rss.xml")
    with django_assert_num_queries(0):
        again = fetch(client, "/feeds/rss.xml")
    assert again.content == first.content


@pytest.mark.parametrize(
    "path, dated",
    [
        ("/feeds/rss.xml", True),
        ("/feeds/section/news/atom.xml", True),
        ("/feeds/feed.json", True),
        ("/sitemap.xml", True),
        # Listing pages and robots.txt have no single newest change to date them by.
        ("/sitemaps/pages.xml", False),
        ("/robots.txt", False),
    ],
)
def test_conditional_get(client, setting, path, dated):
    first = fetch(client, path)
    etag = first["ETag"]
    assert etag.startswith('"')
    assert client.get(path, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(path, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    assert first.has_header("Last-Modified") is dated
    if not dated:
        return
    since = first["Last-Modified"]
    response = client.get(path, HTTP_IF_MODIFIED_SINCE=since)
    assert response.status_code == 304
    assert response["ETag"] == etag
    long_ago = http_date(0)
    assert client.get(path, HTTP_IF_MODIFIED_SINCE=long_ago).status_code == 200


def test_feed_last_modified_is_the_newest_change(client, setting, make_story):
    story = make_story(section=setting["iraq"], title="Newest")
    response = fetch(client, "/feeds/rss.xml")
    assert response["Last-Modified"] == http_date(story.last_published_at.timestamp())


def test_a_publish_makes_old_validators_fail(client, setting, make_story):
    etag = fetch(client, "/feeds/rss.xml")["ETag"]
    make_story(section=setting["iraq"], title="Another")
    assert client.get("/feeds/rss.xml", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_all_paths_lists_every_output_and_each_answers(client, setting):
    paths = export.all_paths()
    assert len(paths) == len(set(paths))
    for expected in [
        "/robots.txt",
        "/sitemap.xml",
        "/sitemaps/pages.xml",
        "/sitemaps/news.xml",
        "/sitemaps/video.xml",
        "/feeds/rss.xml",
        "/feeds/atom.xml",
        "/feeds/feed.json",
        "/feeds/section/news/rss.xml",
        "/feeds/section/news/iraq/feed.json",
        "/feeds/topic/mosul/atom.xml",
        "/feeds/author/reza-farahani/rss.xml",
    ]:
        assert expected in paths
    assert any(path.startswith("/sitemaps/articles-") for path in paths)
    for path in paths:
        assert client.get(path).status_code == 200, path


def test_affected_paths_of_a_story(setting, make_story, make_video):
    story = make_story(
        section=setting["iraq"],
        title="Affected",
        topics=["Mosul", "Erbil"],
        authors=[setting["author"]],
    )
    month = story.first_published_at.astimezone(dt.UTC)
    paths = export.affected_paths(story)
    assert len(paths) == len(set(paths))
    assert set(paths) == {
        "/feeds/rss.xml",
        "/feeds/atom.xml",
        "/feeds/feed.json",
        "/feeds/section/news/rss.xml",
        "/feeds/section/news/atom.xml",
        "/feeds/section/news/feed.json",
        "/feeds/section/news/iraq/rss.xml",
        "/feeds/section/news/iraq/atom.xml",
        "/feeds/section/news/iraq/feed.json",
        "/feeds/topic/mosul/rss.xml",
        "/feeds/topic/mosul/atom.xml",
        "/feeds/topic/mosul/feed.json",
        "/feeds/topic/erbil/rss.xml",
        "/feeds/topic/erbil/atom.xml",
        "/feeds/topic/erbil/feed.json",
        "/feeds/author/reza-farahani/rss.xml",
        "/feeds/author/reza-farahani/atom.xml",
        "/feeds/author/reza-farahani/feed.json",
        "/sitemap.xml",
        "/sitemaps/pages.xml",
        "/sitemaps/news.xml",
        f"/sitemaps/{month:articles-%Y-%m}.xml",
    }
    video = make_video(section=setting["news"], title="A clip")
    assert "/sitemaps/video.xml" in export.affected_paths(video)
    # Found through the plain Page too (what Wagtail's signals send for some operations).
    from wagtail.models import Page

    assert "/sitemaps/video.xml" in export.affected_paths(Page.objects.get(pk=video.pk))
    assert set(export.affected_paths(setting["iraq"])) == set(export.all_paths())


def test_public_cache_headers_on_200_and_304(client, setting):
    first = fetch(client, "/feeds/rss.xml")
    assert first["Cache-Control"].startswith("public")
    assert "syndication" in first["Surrogate-Key"].split()
    assert "Host" in first["Vary"]
    not_modified = client.get("/feeds/rss.xml", HTTP_IF_NONE_MATCH=first["ETag"])
    assert not_modified.status_code == 304
    assert not_modified["Cache-Control"] == first["Cache-Control"]


def test_cache_lifetime_follows_the_cache_backend(settings, tmp_path):
    from masthead.syndication import conf

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert conf.cache_seconds() == 60  # per-process counters: workers must catch up soon
    # A cache every process shares (Redis in production; files here, which need no server).
    shared = "django.core.cache.backends.filebased.FileBasedCache"
    settings.CACHES = {"default": {"BACKEND": shared, "LOCATION": str(tmp_path / "cache")}}
    assert conf.cache_seconds() == 24 * 3600
    settings.MASTHEAD_SYNDICATION_CACHE_SECONDS = 5
    assert conf.cache_seconds() == 5
