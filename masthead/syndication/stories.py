"""The story queries every feed and sitemap shares: bounded, indexed, prefetched.

Every query here is ordered by first_published_at (indexed by Wagtail) and sliced, or
limited to one month's range of it, so its cost does not grow with the archive.
"""

import functools
from dataclasses import dataclass

from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Page

from masthead.news.listings import public_only
from masthead.news.models import ArticlePage, ArticleTopic, Byline, VideoPage
from masthead.publication.paths import section_tree_paths

# The lead image rendition feeds and sitemaps link to: 16:9, wide enough for readers'
# large cards (Google asks for at least 1200px wide images for large previews).
LEAD_IMAGE_SPEC = "fill-1200x675"
# Parsed once: Wagtail parses a spec string again on every get_rendition call.
LEAD_IMAGE_FILTER = Filter(spec=LEAD_IMAGE_SPEC)


@functools.cache
def _live_public_stories():
    # Built once per process and only cloned, never evaluated. The restriction check is a
    # correlated EXISTS in the same query (masthead.news.listings.public_only), the same
    # test as Wagtail's .public() without its extra query for the restrictions.
    return public_only(ArticlePage.objects.live())


def live_stories():
    """Every story readers can see (videos included: VideoPage is an ArticlePage)."""
    return _live_public_stories().all()


@dataclass
class FeedDetails:
    """What feed items show beyond their own row, keyed by article id."""

    authors: dict  # id -> [(name, url_path)] in byline order
    topics: dict  # id -> [topic name] in tagging order


def feed_stories(queryset, count, full_text=False):
    """The newest `count` stories with what feed items show, in four queries whatever the
    count: the stories (lead image and video joined), their lead renditions, bylines and
    topics. Bylines and topics are read as plain values: building an AuthorPage and a
    Topic per item cost more than the rest of the feed."""
    queryset = newest(queryset, count).select_related("videopage", "lead_image")
    if not full_text:
        queryset = queryset.defer("body", "videopage__body")
    articles = list(queryset)
    ids = [article.pk for article in articles]
    attach_lead_renditions([a.lead_image for a in articles if a.lead_image_id])
    authors, topics = {}, {}
    if ids:
        bylines = (
            Byline.objects.filter(article_id__in=ids)
            .order_by("sort_order", "pk")
            .values_list("article_id", "author__title", "author__url_path")
        )
        for article_id, name, url_path in bylines:
            authors.setdefault(article_id, []).append((name, url_path))
        tagged = (
            ArticleTopic.objects.filter(content_object_id__in=ids)
            .order_by("pk")
            .values_list("content_object_id", "tag__name")
        )
        for article_id, name in tagged:
            topics.setdefault(article_id, []).append(name)
    return articles, FeedDetails(authors, topics)


def attach_lead_renditions(images):
    """Hang the existing lead renditions of these images on them, in one query, where
    Wagtail's get_rendition looks first (a missing one is still made on demand)."""
    if not images:
        return
    Rendition = get_image_model().get_rendition_model()
    found = {}
    for rendition in Rendition.objects.filter(
        image_id__in={image.pk for image in images}, filter_spec=LEAD_IMAGE_SPEC
    ):
        found.setdefault(rendition.image_id, []).append(rendition)
    for image in images:
        image.prefetched_renditions = found.get(image.pk, [])


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


def section_titles(articles):
    """{tree path: title} for the sections above these articles, in one query."""
    paths = {p for article in articles for p in section_tree_paths(article.path)}
    if not paths:
        return {}
    return dict(Page.objects.filter(path__in=paths).values_list("path", "title"))


def lead_rendition(article):
    """The lead image rendition, or None. Uses the prefetched rendition when it exists."""
    image = article.lead_image
    if image is None:
        return None
    prefetched = getattr(image, "prefetched_renditions", None)
    if prefetched:
        # Wagtail's own match (spec and focal point), without its per-call cache write.
        key = LEAD_IMAGE_FILTER.get_cache_key(image)
        for rendition in prefetched:
            if rendition.filter_spec == LEAD_IMAGE_SPEC and rendition.focal_point_key == key:
                return rendition
    try:
        return image.get_rendition(LEAD_IMAGE_FILTER)
    except Exception:  # noqa: BLE001 - a missing or broken source file must not break a feed
        return None
