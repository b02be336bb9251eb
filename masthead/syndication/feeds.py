"""The feeds: one Feed class, four scopes (site, section, topic, author), three formats.

URLs (urls.py): /feeds/<format>, /feeds/section/<section path>/<format>,
/feeds/topic/<slug>/<format>, /feeds/author/<slug>/<format>, where <format> is
rss.xml, atom.xml or feed.json.
"""

import mimetypes
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.template import TemplateDoesNotExist
from django.urls import reverse
from django.utils import feedgenerator

from masthead.news.models import ArticleTopic, AuthorPage, Byline, SectionPage, Topic
from masthead.publication.addresses import absolute_url
from masthead.publication.models import PublicationSettings
from masthead.publication.paths import section_tree_paths, site_path_of, site_roots, topic_path
from masthead.tv import media

from . import conf, stories
from .generators import AtomFeed, JsonFeed, RssFeed
from .text import xml_safe

# Items per feed: enough for a reader that polls every few hours on a busy day.
FEED_ITEMS = 50

FORMATS = {"rss.xml": RssFeed, "atom.xml": AtomFeed, "feed.json": JsonFeed}
FORMAT_NAMES = {"rss.xml": "RSS", "atom.xml": "Atom", "feed.json": "JSON Feed"}
FORMAT_TYPES = {
    "rss.xml": "application/rss+xml",
    "atom.xml": "application/atom+xml",
    "feed.json": "application/feed+json",
}


@dataclass
class Scope:
    """What a feed covers: its stories, its name, its page and its place in the URL space."""

    kind: str  # site, section, topic or author
    key: str  # "" for the site, else the section path or the slug
    title: str
    page_path: str  # the page readers would visit
    stories: QuerySet


def feed_url(kind, key, fmt):
    if kind == "site":
        return reverse("syndication:site_feed", args=[fmt])
    return reverse(f"syndication:{kind}_feed", args=[key, fmt])


def site_scope():
    return Scope("site", "", "", "/", stories.live_stories())


def section_scope(section_path):
    """The section at /<section_path>/ (raises SectionPage.DoesNotExist)."""
    roots = site_roots()
    # One URL per feed: no empty segments, no leading or trailing slash.
    if not roots or not section_path or "" in section_path.split("/"):
        raise SectionPage.DoesNotExist
    url_path = f"{roots[0].root_path}{section_path}/"
    section = SectionPage.objects.live().public().get(url_path=url_path)
    # A sub-section's stories also belong to every section above it: the tree path says so.
    return Scope(
        "section",
        section_path,
        section.title,
        f"/{section_path}/",
        stories.live_stories().descendant_of(section),
    )


def topic_scope(slug):
    topic = Topic.objects.get(slug=slug)
    tagged = ArticleTopic.objects.filter(tag=topic).values("content_object_id")
    return Scope(
        "topic",
        topic.slug,
        topic.name,
        topic_path(topic.slug),
        stories.live_stories().filter(pk__in=tagged),
    )


def author_scope(slug):
    # Slugs are unique among siblings only; the author index is the one parent in practice.
    author = AuthorPage.objects.live().public().filter(slug=slug).order_by("path").first()
    if author is None:
        raise AuthorPage.DoesNotExist
    bylined = Byline.objects.filter(author=author).values("article_id")
    return Scope(
        "author",
        author.slug,
        author.title,
        site_path_of(author.url_path) or f"/authors/{author.slug}/",
        stories.live_stories().filter(pk__in=bylined),
    )


SCOPES = {
    "site": site_scope,
    "section": section_scope,
    "topic": topic_scope,
    "author": author_scope,
}


class StoryFeed(Feed):
    """Newest FEED_ITEMS stories of a scope, with links on the address it is read at.

    Made per request (views.py) so it can keep the request and per-feed lookups.
    """

    def __init__(self, request, scope, fmt):
        super().__init__()
        self.request = request
        self.scope = scope
        self.fmt = fmt
        self.feed_type = FORMATS[fmt]
        self.publication = PublicationSettings.for_request(request)
        self.language = self.publication.language or None
        self.roots = site_roots()
        self.full_text = conf.full_text()
        self.authority = conf.tag_authority()

    def absolute(self, path):
        return absolute_url(self.request, path)

    # Feed-level elements.

    def title(self, scope):
        name = self.publication.name
        return xml_safe(f"{name}: {scope.title}" if scope.title else name)

    def description(self, scope):
        tagline = self.publication.tagline
        if scope.kind == "site":
            return xml_safe(tagline or f"The latest stories from {self.publication.name}")
        return xml_safe(f"The latest stories from {self.publication.name}: {scope.title}")

    def link(self, scope):
        return self.absolute(scope.page_path)

    def feed_url(self, scope):
        return self.absolute(feed_url(scope.kind, scope.key, self.fmt))

    def feed_guid(self, scope):
        # Atom's feed id must not change with the host (a mirror) or the format.
        return f"tag:{self.authority}:feed/{scope.kind}/{scope.key}".rstrip("/")

    def author_name(self, scope):
        return xml_safe(self.publication.name)

    # Items.

    def items(self, scope):
        articles, self.details = stories.feed_stories(scope.stories, FEED_ITEMS, self.full_text)
        self.sections = stories.section_titles(articles)
        return articles

    def item_title(self, item):
        return xml_safe(item.title)

    def item_description(self, item):
        return xml_safe(item.standfirst)

    def item_link(self, item):
        return self.absolute(site_path_of(item.url_path, self.roots) or "/")

    def item_guid(self, item):
        # The page id never changes, whatever is edited (headline, slug, section).
        return f"tag:{self.authority}:page/{item.pk}"

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_categories(self, item):
        sections = [
            self.sections[path] for path in section_tree_paths(item.path) if path in self.sections
        ]
        topics = self.details.topics.get(item.pk, [])
        return [xml_safe(name) for name in sections + topics]

    def item_enclosures(self, item):
        video = stories.video_of(item)
        if video is None:
            return []
        size = None
        if video.video_file:
            url = self.absolute(video.video_file.url)
            # Cached per file name (tv/media.py), so S3 is asked once per upload, not per feed.
            size = media.stored_size(video.video_file)
        elif video.video_url:
            url = video.video_url
        else:
            return []
        mime_type = mimetypes.guess_type(url.split("?")[0])[0] or "video/mp4"
        # An external URL's size is not ours to know without fetching it; the RSS Advisory
        # Board's profile says to give 0 when the length cannot be determined.
        length = str(size) if size else "0"
        return [feedgenerator.Enclosure(url=url, length=length, mime_type=mime_type)]

    def item_extra_kwargs(self, item):
        return {
            "authors": self.item_authors(item),
            "image": self.item_image(item),
            "content_html": self.item_content_html(item),
        }

    def item_authors(self, item):
        authors = []
        for name, url_path in self.details.authors.get(item.pk, []):
            path = site_path_of(url_path, self.roots)
            authors.append(
                {
                    "name": xml_safe(name),
                    "url": self.absolute(path) if path else None,
                }
            )
        return authors

    def item_image(self, item):
        rendition = stories.lead_rendition(item)
        if rendition is None:
            return None
        url = rendition.url
        return {
            "url": url if url.startswith(("http://", "https://")) else self.absolute(url),
            "mime_type": mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg",
            "width": rendition.width,
            "height": rendition.height,
            "alt": xml_safe(item.lead_image_alt or item.lead_image.description),
            "credit": xml_safe(item.lead_image_credit),
        }

    def item_content_html(self, item):
        if not self.full_text:
            return None
        try:
            html = str(item.body)
        except TemplateDoesNotExist:
            # A block without its template still has its own plain rendering.
            html = "".join(str(child.block.render_basic(child.value)) for child in item.body)
        return xml_safe(html)

    def render(self):
        """(body bytes, content type, newest change as a datetime)."""
        generator = self.get_feed(self.scope, self.request)
        body = generator.writeString("utf-8").encode("utf-8")
        return body, generator.content_type, generator.latest_post_date()
