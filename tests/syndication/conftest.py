"""Fixtures for feeds and sitemaps: stories with bylines, topics, images and videos."""

import datetime as dt

import feedparser
import pytest
from django.core.cache import cache
from django.utils import timezone
from lxml import etree

from masthead.news.models import ArticlePage, AuthorIndexPage, AuthorPage, Byline, VideoPage
from tests.conftest import publish

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture
def make_author(home):
    def factory(name):
        index = AuthorIndexPage.objects.get()
        author = AuthorPage(title=name, role="Correspondent")
        index.add_child(instance=author)
        return publish(author)

    return factory


@pytest.fixture
def make_story(make_section):
    """A published story (or video, with cls=VideoPage) with bylines and topics."""
    counter = iter(range(1, 100_000))

    def factory(
        section=None,
        title=None,
        standfirst=None,
        topics=(),
        authors=(),
        published=None,
        cls=ArticlePage,
        **fields,
    ):
        n = next(counter)
        section = section or make_section("News")
        fields.setdefault("body", [("paragraph", f"<p>Body of story {n}.</p>")])
        story = cls(
            title=title or f"Story {n}", standfirst=standfirst or f"Standfirst {n}.", **fields
        )
        for author in authors:
            story.bylines.add(Byline(author=author))
        section.add_child(instance=story)
        if topics:
            story.topics.add(*topics)
        publish(story)
        if published:
            cls.objects.filter(pk=story.pk).update(
                first_published_at=published, last_published_at=published
            )
            story.refresh_from_db()
        return story

    return factory


@pytest.fixture
def make_video(make_story, make_image):
    def factory(**fields):
        fields.setdefault("video_url", "https://video.example/clip.m3u8")
        fields.setdefault("duration", 95)
        fields.setdefault("lead_image", make_image("Video still"))
        return make_story(cls=VideoPage, **fields)

    return factory


def fetch(client, path, **headers):
    response = client.get(path, **headers)
    assert response.status_code == 200, (path, response.status_code)
    return response


def parse_feed(client, path):
    response = fetch(client, path)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, (path, parsed.get("bozo_exception"))
    return parsed


def parse_xml(client, path):
    response = fetch(client, path)
    return etree.fromstring(response.content)


def sitemap_locs(root):
    return [loc.text for loc in root.iterfind("sm:url/sm:loc", SITEMAP_NS)]


def forget_outputs():
    """Direct .update() calls skip signals; tests that use them start the cache afresh."""
    cache.clear()


def hours_ago(hours):
    return timezone.now() - dt.timedelta(hours=hours)
