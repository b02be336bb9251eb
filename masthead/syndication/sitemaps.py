"""Sitemaps as small django.contrib.sitemaps classes, written by our own XML writer.

Story sitemaps are split by month of first publication, oldest first, so a month's file
stops changing once the month is over. Django's view paginates with ?p=; ours puts the part
in the path (articles-2024-05-2.xml) and adds the Google News and video extensions.
"""

import datetime as dt
from xml.sax.saxutils import escape

from django.contrib.sitemaps import Sitemap
from django.db import connection
from django.db.models import CharField, Count, Exists, Max, OuterRef, Prefetch
from django.db.models.functions import Cast, Substr, TruncMonth
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page

from masthead.news.models import ArticleTopic, AuthorPage, HomePage, SectionPage, Topic, VideoPage
from masthead.news.serving import VIDEOS_PATH
from masthead.publication.paths import site_path_of, site_roots, topic_path

from . import stories
from .text import xml_safe

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
VIDEO_NS = "http://www.google.com/schemas/sitemap-video/1.1"

# sitemaps.org protocol: at most 50,000 URLs per sitemap file and 50,000 sitemaps per index.
MAX_URLS_PER_SITEMAP = 50_000
MAX_SITEMAPS_PER_INDEX = 50_000
# Google News sitemaps: only articles from the last two days, at most 1,000 news:news tags.
NEWS_SITEMAP_WINDOW = dt.timedelta(hours=48)
NEWS_SITEMAP_MAX_URLS = 1_000
# Google video sitemaps: description at most 2,048 characters, duration 1 to 28,800 seconds.
VIDEO_DESCRIPTION_MAX_CHARS = 2_048
VIDEO_MAX_DURATION_SECONDS = 28_800
# Our own bound, not the spec's: the newest videos only, so the file costs the same
# whatever the size of the video archive (older videos stay in the monthly sitemaps).
VIDEO_SITEMAP_MAX_URLS = 1_000


def w3c_datetime(value):
    """W3C Datetime (the format sitemaps and Google News use), in UTC."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")


def month_range(year, month):
    start = dt.datetime(year, month, 1, tzinfo=dt.UTC)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=dt.UTC)
    return start, end


def month_file(month, part=1):
    """'articles-2024-05.xml', or 'articles-2024-05-2.xml' for a month's second 50,000."""
    suffix = f"-{part}" if part > 1 else ""
    return f"articles-{month:%Y-%m}{suffix}.xml"


class StorySitemap(Sitemap):
    """Base for sitemaps of stories: items are values() rows, not model instances."""

    limit = MAX_URLS_PER_SITEMAP
    fields = ("pk", "url_path", "first_published_at", "last_published_at")

    def __init__(self):
        self.roots = site_roots()

    def location(self, item):
        return site_path_of(item["url_path"], self.roots)

    def lastmod(self, item):
        return item["last_published_at"] or item["first_published_at"]


class MonthSitemap(StorySitemap):
    """Stories first published in one calendar month (UTC), oldest first."""

    def __init__(self, year, month):
        super().__init__()
        self.start, self.end = month_range(year, month)

    def items(self):
        return (
            stories.live_stories()
            .filter(first_published_at__gte=self.start, first_published_at__lt=self.end)
            .order_by("first_published_at", "pk")
            .values(*self.fields)
        )


class NewsSitemap(StorySitemap):
    """Google News: stories of the last 48 hours, newest first."""

    limit = NEWS_SITEMAP_MAX_URLS

    def __init__(self, publication_name, language, now=None):
        super().__init__()
        self.publication_name = publication_name
        self.language = language
        self.since = (now or timezone.now()) - NEWS_SITEMAP_WINDOW

    def items(self):
        recent = stories.live_stories().filter(first_published_at__gte=self.since)
        return stories.newest(recent, self.limit).values(*self.fields, "title")


class VideoSitemap(Sitemap):
    """Google video sitemap for the newest videos that have a thumbnail and a media URL."""

    limit = VIDEO_SITEMAP_MAX_URLS

    def __init__(self, request):
        self.request = request
        self.roots = site_roots()

    def items(self):
        # Start from the video table: ordered by date alone, SQLite walks every page's
        # first_published_at index looking for videos, which grows with the archive.
        video_ids = VideoPage.objects.order_by().values("pk")
        videos = VideoPage.objects.live().public().filter(pk__in=video_ids)
        videos = videos.exclude(lead_image=None)
        videos = videos.exclude(video_file="", video_url="")
        images = get_image_model().objects.prefetch_renditions(stories.LEAD_IMAGE_SPEC)
        return stories.newest(videos, VIDEO_SITEMAP_MAX_URLS).prefetch_related(
            Prefetch("lead_image", queryset=images)
        )

    def location(self, item):
        return site_path_of(item.url_path, self.roots)

    def lastmod(self, item):
        return item.last_published_at or item.first_published_at


class PagesSitemap(Sitemap):
    """Home, the video listing, sections, authors and topics (the pages that list stories)."""

    limit = MAX_URLS_PER_SITEMAP

    def __init__(self):
        self.roots = site_roots()

    def items(self):
        pages = [
            (site_path_of(url_path, self.roots), lastmod)
            for url_path, lastmod in Page.objects.live()
            .public()
            .type(HomePage, SectionPage, AuthorPage)
            .order_by("path")
            .values_list("url_path", "last_published_at")[: self.limit]
        ]
        # Topics with at least one live story; each has a page at /topics/<slug>/.
        has_story = ArticleTopic.objects.filter(tag=OuterRef("pk"), content_object__live=True)
        room = self.limit - len(pages)
        topics = (
            Topic.objects.filter(Exists(has_story)).order_by("slug").values_list("slug", flat=True)
        )
        topics = [(topic_path(slug), None) for slug in topics[: max(room, 0)]]
        listed = [page for page in pages if page[0]] + topics
        # /videos/ (the home page's route) once there is a video to list, dated by the newest.
        newest_video = (
            VideoPage.objects.live()
            .public()
            .order_by("-last_published_at")
            .values_list("last_published_at", flat=True)[:1]
        )
        if newest_video and len(listed) < self.limit:
            listed.insert(1, (VIDEOS_PATH, newest_video[0]))
        return listed

    def location(self, item):
        return item[0]

    def lastmod(self, item):
        return item[1]


def month_expression():
    """The UTC month of first publication, as cheap as the database allows."""
    if connection.vendor == "sqlite":
        # SQLite keeps UTC datetimes as ISO text, so the month is the first seven
        # characters; Django's TruncMonth there is a Python function called per row,
        # which made the index cost grow ten-fold from 1,000 to 10,000 stories.
        return Substr(Cast("first_published_at", CharField()), 1, 7)
    return TruncMonth("first_published_at", tzinfo=dt.UTC)


def month_start(value):
    if isinstance(value, str):
        year, month = value.split("-")
        return dt.datetime(int(year), int(month), 1, tzinfo=dt.UTC)
    return value


def month_counts():
    """[(month start, story count, newest lastmod)] in one aggregate query, oldest first."""
    rows = (
        stories.live_stories()
        .annotate(month=month_expression())
        .values("month")
        .annotate(count=Count("pk"), lastmod=Max("last_published_at"))
        .order_by("month")
    )
    return [
        (month_start(row["month"]), row["count"], row["lastmod"]) for row in rows if row["month"]
    ]


def month_files():
    """[(file name, lastmod)] for every monthly story sitemap, parts included."""
    files = []
    for month, count, lastmod in month_counts():
        parts = -(-count // MonthSitemap.limit)
        files.extend((month_file(month, part), lastmod) for part in range(1, parts + 1))
    return files


# Writers: plain string building (a template loop is the slow part at 50,000 URLs).


def write_urlset(urls, extra_ns="", extra=None):
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<urlset xmlns="{SITEMAP_NS}"{extra_ns}>\n',
    ]
    for url in urls:
        parts.append(f"<url><loc>{escape(url['location'])}</loc>")
        if url["lastmod"]:
            parts.append(f"<lastmod>{w3c_datetime(url['lastmod'])}</lastmod>")
        if extra:
            parts.append(extra(url["item"]))
        parts.append("</url>\n")
    parts.append("</urlset>\n")
    return "".join(parts).encode("utf-8")


def write_index(entries):
    """entries: [(absolute URL, lastmod or None)]."""
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        f'<sitemapindex xmlns="{SITEMAP_NS}">\n',
    ]
    for location, lastmod in entries[:MAX_SITEMAPS_PER_INDEX]:
        parts.append(f"<sitemap><loc>{escape(location)}</loc>")
        if lastmod:
            parts.append(f"<lastmod>{w3c_datetime(lastmod)}</lastmod>")
        parts.append("</sitemap>\n")
    parts.append("</sitemapindex>\n")
    return "".join(parts).encode("utf-8")


def text(value):
    return escape(xml_safe(value) or "")


def news_extension(sitemap):
    publication = (
        f"<news:publication><news:name>{text(sitemap.publication_name)}</news:name>"
        f"<news:language>{text(sitemap.language)}</news:language></news:publication>"
    )

    def extra(item):
        return (
            f"<news:news>{publication}"
            f"<news:publication_date>{w3c_datetime(item['first_published_at'])}"
            f"</news:publication_date><news:title>{text(item['title'])}</news:title></news:news>"
        )

    return extra


def video_extension(sitemap, absolute):
    def extra(video):
        rendition = stories.lead_rendition(video)
        thumbnail = absolute(rendition.url) if rendition else ""
        parts = [
            "<video:video>",
            f"<video:thumbnail_loc>{escape(thumbnail)}</video:thumbnail_loc>",
            f"<video:title>{text(video.title)}</video:title>",
            "<video:description>"
            f"{text((video.standfirst or video.title)[:VIDEO_DESCRIPTION_MAX_CHARS])}"
            "</video:description>",
        ]
        if video.video_file:
            parts.append(
                f"<video:content_loc>{escape(absolute(video.video_file.url))}</video:content_loc>"
            )
        else:
            parts.append(f"<video:content_loc>{escape(video.video_url)}</video:content_loc>")
        if video.duration:
            duration = min(max(video.duration, 1), VIDEO_MAX_DURATION_SECONDS)
            parts.append(f"<video:duration>{duration}</video:duration>")
        if video.first_published_at:
            parts.append(
                f"<video:publication_date>{w3c_datetime(video.first_published_at)}"
                "</video:publication_date>"
            )
        parts.append("</video:video>")
        return "".join(parts)

    return extra
