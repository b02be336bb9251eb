"""Feed, sitemap and robots.txt views: each builds its output on a cache miss (cache.py)."""

from django.contrib.sitemaps import Sitemap
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404
from django.urls import reverse

from masthead.publication.addresses import absolute_url, public_base
from masthead.publication.models import PublicationSettings

from . import conf, sitemaps
from .cache import Output, serve
from .feeds import FORMATS, SCOPES, StoryFeed
from .text import xml_safe

XML = "application/xml; charset=utf-8"


def feed(request, fmt, kind="site", key=""):
    if fmt not in FORMATS:
        raise Http404("No such feed format.")
    # No slug or path holds control characters; PostgreSQL refuses NUL in a query outright.
    if xml_safe(key) != key:
        raise Http404("No such feed.")

    def build():
        try:
            scope = SCOPES[kind](key) if kind != "site" else SCOPES["site"]()
        except (ObjectDoesNotExist, ValueError):
            raise Http404("No such feed.") from None
        body, content_type, latest = StoryFeed(request, scope, fmt).render()
        return Output(body, content_type, latest.timestamp())

    return serve(request, build)


class RequestDomain:
    """What Django's Sitemap.get_urls() wants from a Site: where this output is read.

    Django writes "<protocol>://<domain><path>", so a copy under a path prefix passes the
    prefix as part of the domain ("bucket.example/masthead").
    """

    def __init__(self, request):
        self.protocol, self.domain = public_base(request).rstrip("/").split("://", 1)


def urlset(request, sitemap: Sitemap, part=1, extra_ns="", extra=None, allow_empty=True):
    paginator = sitemap.paginator
    if part < 1 or part > paginator.num_pages or (not allow_empty and paginator.count == 0):
        raise Http404("No such sitemap.")
    site = RequestDomain(request)
    urls = sitemap.get_urls(page=part, site=site, protocol=site.protocol)
    latest = getattr(sitemap, "latest_lastmod", None)
    body = sitemaps.write_urlset(urls, extra_ns, extra)
    return Output(body, XML, latest.timestamp() if latest else None)


def month_sitemap(request, year, month, part=1):
    def build():
        if not 1 <= month <= 12 or not 1 <= year <= 9999 or year == 9999 and month == 12:
            raise Http404("No such month.")
        return urlset(request, sitemaps.MonthSitemap(year, month), part, allow_empty=False)

    return serve(request, build)


def pages_sitemap(request):
    return serve(request, lambda: urlset(request, sitemaps.PagesSitemap()))


# The 48-hour window moves with the clock, not only with publishing: keep it briefly.
NEWS_SITEMAP_CACHE_SECONDS = 300


def news_sitemap(request):
    def build():
        publication = PublicationSettings.for_request(request)
        sitemap = sitemaps.NewsSitemap(publication.name, publication.language or "en")
        extra_ns = f' xmlns:news="{sitemaps.NEWS_NS}"'
        return urlset(request, sitemap, extra_ns=extra_ns, extra=sitemaps.news_extension(sitemap))

    return serve(request, build, timeout=min(NEWS_SITEMAP_CACHE_SECONDS, conf.cache_seconds()))


def video_sitemap(request):
    def build():
        sitemap = sitemaps.VideoSitemap(request)
        extra_ns = f' xmlns:video="{sitemaps.VIDEO_NS}"'
        extra = sitemaps.video_extension(sitemap, lambda url: absolute_url(request, url))
        return urlset(request, sitemap, extra_ns=extra_ns, extra=extra)

    return serve(request, build)


def sitemap_index(request):
    def build():
        def absolute(path):
            return absolute_url(request, path)

        entries = [
            (absolute(reverse("syndication:pages_sitemap")), None),
            (absolute(reverse("syndication:news_sitemap")), None),
            (absolute(reverse("syndication:video_sitemap")), None),
        ]
        latest = None
        for name, lastmod in sitemaps.month_files():
            entries.append((absolute(reverse("syndication:sitemap_file", args=[name])), lastmod))
            latest = max(latest, lastmod) if latest and lastmod else (lastmod or latest)
        body = sitemaps.write_index(entries)
        return Output(body, XML, latest.timestamp() if latest else None)

    return serve(request, build)


def sitemap_file(request, name):
    """/sitemaps/articles-YYYY-MM.xml and /sitemaps/articles-YYYY-MM-<part>.xml."""
    stem = name.removeprefix("articles-").removesuffix(".xml")
    bits = stem.split("-")
    if not name.startswith("articles-") or len(bits) not in (2, 3):
        raise Http404("No such sitemap.")
    if not all(bit.isascii() and bit.isdigit() and len(bit) <= 6 for bit in bits):
        raise Http404("No such sitemap.")
    year, month, *part = (int(bit) for bit in bits)
    if part and part[0] < 2:  # part 1 has one name only: articles-YYYY-MM.xml
        raise Http404("No such sitemap.")
    return month_sitemap(request, year, month, part[0] if part else 1)


def robots_txt(request):
    def build():
        sitemap = absolute_url(request, reverse("syndication:sitemap_index"))
        # Search results are endless and thin; the admin is not for crawlers.
        body = f"User-agent: *\nDisallow: /admin/\nDisallow: /search/\n\nSitemap: {sitemap}\n"
        body = body.encode()
        return Output(body, "text/plain; charset=utf-8", None)

    return serve(request, build)
