"""The story queries every feed and sitemap shares: bounded, indexed, prefetched.

Every query here is ordered by first_published_at (indexed by Wagtail) and sliced, or
limited to one month's range of it, so its cost does not grow with the archive.
"""

from django.db.models import Prefetch
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from masthead.news.models import ArticlePage, ArticleTopic, Byline, VideoPage

# The lead image rendition feeds and sitemaps link to: 16:9, wide enough for readers'
# large cards (Google asks for at least 1200px wide images for large previews).
LEAD_IMAGE_SPEC = "fill-1200x675"

# The depth of the home page in Wagtail's tree (the tree root is depth 1); sections start below.
HOME_DEPTH = 2
# Wagtail's materialised path gives each tree level this many characters.
STEPLEN = Page.steplen


def live_stories():
    """Every story readers can see (videos included: VideoPage is an ArticlePage)."""
    return ArticlePage.objects.live().public()


def with_feed_details(queryset):
    """Fetch what a feed item shows in a fixed number of queries, whatever the item count."""
    images = get_image_model().objects.prefetch_renditions(LEAD_IMAGE_SPEC)
    return queryset.select_related("videopage").prefetch_related(
        Prefetch("lead_image", queryset=images),
        Prefetch(
            "bylines", queryset=Byline.objects.select_related("author").order_by("sort_order")
        ),
        Prefetch(
            "tagged_topics", queryset=ArticleTopic.objects.select_related("tag").order_by("pk")
        ),
    )


def newest(queryset, count):
    return queryset.order_by("-first_published_at", "-pk")[:count]


def video_of(article):
    """The VideoPage behind an ArticlePage fetched with select_related("videopage"), or None."""
    if isinstance(article, VideoPage):
        return article
    try:
        return article.videopage
    except VideoPage.DoesNotExist:
        return None


def site_roots():
    """Wagtail's (cached) list of site root paths, most specific first."""
    return Site.get_site_root_paths()


def relative_url(url_path, roots=None):
    """The path readers use for a page, from its internal url_path, without a query."""
    for root in roots if roots is not None else site_roots():
        if url_path.startswith(root.root_path):
            return "/" + url_path[len(root.root_path) :]
    return None


def section_path_of(url_path, roots=None):
    """'news/iraq' for a section at /news/iraq/ (what section feed URLs carry)."""
    path = relative_url(url_path, roots)
    return path.strip("/") if path else None


def ancestor_paths(path):
    """Tree paths of a page's ancestors below the home page, outermost first."""
    return [path[: STEPLEN * depth] for depth in range(HOME_DEPTH + 1, len(path) // STEPLEN)]


def section_titles(articles):
    """{tree path: title} for the sections above these articles, in one query."""
    paths = {p for article in articles for p in ancestor_paths(article.path)}
    if not paths:
        return {}
    return dict(Page.objects.filter(path__in=paths).values_list("path", "title"))


def lead_rendition(article):
    """The lead image rendition, or None. Uses the prefetched rendition when it exists."""
    image = article.lead_image
    if image is None:
        return None
    try:
        return image.get_rendition(LEAD_IMAGE_SPEC)
    except Exception:  # noqa: BLE001 - a missing or broken source file must not break a feed
        return None
