"""The cost of each output does not grow with the archive: same query count at two sizes."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from masthead.news.models import ArticlePage, Byline, VideoPage
from masthead.syndication.feeds import FEED_ITEMS

PATHS = [
    "/feeds/rss.xml",
    "/feeds/atom.xml",
    "/feeds/feed.json",
    "/feeds/section/news/rss.xml",
    "/feeds/section/news/iraq/atom.xml",
    "/feeds/topic/basra/feed.json",
    "/feeds/author/amina-bello/rss.xml",
    "/sitemap.xml",
    "/sitemaps/pages.xml",
    "/sitemaps/news.xml",
    "/sitemaps/video.xml",
]


def add_stories(section, count, start, image, author):
    """Live stories straight into the tree (no revisions: fast, and what an import does)."""
    for n in range(count):
        when = start + dt.timedelta(minutes=n)
        cls = VideoPage if n % 10 == 0 else ArticlePage
        extra = (
            {"video_url": "https://video.example/v.mp4", "duration": 30} if cls is VideoPage else {}
        )
        story = cls(
            title=f"Bulk {start:%H%M} {n}",
            standfirst="Bulk.",
            lead_image=image,
            first_published_at=when,
            last_published_at=when,
            live=True,
            **extra,
        )
        story.bylines.add(Byline(author=author))
        story.topics.add("Basra")
        section.add_child(instance=story)


def queries_for(client, path):
    cache.clear()
    client.get(path)  # warm-up: renditions and first-time settings rows
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured.captured_queries), response


@pytest.fixture
def grow(make_section, make_image, make_author):
    news = make_section("News")
    iraq = make_section("Iraq", parent=news)
    image = make_image("Shared")
    author = make_author("Amina Bello")
    # Both batches (75 minutes) in the news window and in one calendar month.
    now = timezone.now().astimezone(dt.UTC)
    start = max(now - dt.timedelta(hours=3), now.replace(day=1, hour=0, minute=0, second=0))

    def factory(count):
        nonlocal start
        add_stories(iraq, count, start, image, author)
        start += dt.timedelta(minutes=count + 1)

    factory.month = f"/sitemaps/articles-{start:%Y-%m}.xml"
    return factory


def test_query_counts_do_not_grow_with_the_archive(client, grow, django_assert_num_queries):
    grow(4)
    month = grow.month
    small = {path: queries_for(client, path)[0] for path in [*PATHS, month]}
    grow(FEED_ITEMS + 20)
    for path, expected in small.items():
        cache.clear()
        client.get(path)
        cache.clear()
        with django_assert_num_queries(expected):
            response = client.get(path)
        assert response.status_code == 200
    # The big archive really is bigger than one feed.
    _, response = queries_for(client, "/feeds/rss.xml")
    assert response.content.count(b"<item>") == FEED_ITEMS
    _, response = queries_for(client, month)
    assert response.content.count(b"<url>") == 4 + FEED_ITEMS + 20
