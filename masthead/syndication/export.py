"""Which feed and sitemap paths exist, and which of them change with a page: this app's
part of the answer masthead.changes.affected gives the mirror refresh and the CDN purge."""

from django.urls import reverse
from wagtail.models import Page

from masthead.news.models import ArticlePage, AuthorPage, SectionPage, Topic, VideoPage
from masthead.publication.paths import section_key, section_tree_paths, site_roots

from . import sitemaps
from .feeds import FORMATS, feed_url


def feed_paths(kind, key=""):
    return [feed_url(kind, key, fmt) for fmt in FORMATS]


def sitemap_paths():
    return [
        reverse("syndication:robots_txt"),
        reverse("syndication:sitemap_index"),
        reverse("syndication:pages_sitemap"),
        reverse("syndication:news_sitemap"),
        reverse("syndication:video_sitemap"),
    ]


def all_paths():
    """Every feed, sitemap and robots.txt path on the site (a handful of queries)."""
    roots = site_roots()
    paths = sitemap_paths()
    paths += [
        reverse("syndication:sitemap_file", args=[name]) for name, _ in sitemaps.month_files()
    ]
    paths += feed_paths("site")
    for url_path in (
        SectionPage.objects.live().public().order_by("path").values_list("url_path", flat=True)
    ):
        key = section_key(url_path, roots)
        if key:
            paths += feed_paths("section", key)
    for slug in (
        Topic.objects.filter(tagged_stories__isnull=False)
        .distinct()
        .order_by("slug")
        .values_list("slug", flat=True)
    ):
        paths += feed_paths("topic", slug)
    for slug in AuthorPage.objects.live().public().order_by("slug").values_list("slug", flat=True):
        paths += feed_paths("author", slug)
    return paths


def affected_paths(page):
    """The paths whose content changes when this page is published or unpublished."""
    page = page.specific if type(page) is Page else page
    roots = site_roots()
    if isinstance(page, ArticlePage):
        paths = feed_paths("site")
        for section in Page.objects.filter(path__in=section_tree_paths(page.path)).order_by("path"):
            paths += feed_paths("section", section_key(section.url_path, roots))
        for link in page.tagged_topics.select_related("tag"):
            paths += feed_paths("topic", link.tag.slug)
        for byline in page.bylines.select_related("author"):
            paths += feed_paths("author", byline.author.slug)
        paths += sitemap_paths()[1:4]  # index, pages (topic lists), news
        if isinstance(page, VideoPage) or VideoPage.objects.filter(pk=page.pk).exists():
            paths.append(reverse("syndication:video_sitemap"))
        if page.first_published_at:
            month = page.first_published_at.astimezone(sitemaps.dt.UTC)
            paths.append(reverse("syndication:sitemap_file", args=[sitemaps.month_file(month)]))
        return list(dict.fromkeys(paths))
    if isinstance(page, AuthorPage):
        # Its name shows in its own feed and on its stories in the site feeds.
        return feed_paths("author", page.slug) + feed_paths("site") + sitemap_paths()[1:3]
    # A section or the home page: a rename or a move changes the URL of everything below it.
    return all_paths()
