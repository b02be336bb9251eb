"""The Roku channel feed (/feeds/roku.json) in Roku's Direct Publisher JSON format.

Direct Publisher itself is retired; Roku's SceneGraph channel template
(rokudev/rdp-to-scenegraph-channel-template) reads the same JSON from the FEED_URL in its
manifest. The shape follows the Direct Publisher feed spec and the schema kept beside this
module (schemas/roku-direct-publisher.schema.json).

The feed is built once per address it is read at (publication/addresses.py) and cached;
publishing or unpublishing a video, or saving the live stream or publication settings,
changes the cache generation (tv/signals.py).
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.core.cache import cache
from django.db.models import Prefetch
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Site

from masthead.news.models import SectionPage, VideoPage
from masthead.publication.addresses import absolute_url, public_base
from masthead.publication.models import PublicationSettings

from . import media
from .models import LiveStreamSettings

SCHEMA_PATH = Path(__file__).parent / "schemas" / "roku-direct-publisher.schema.json"

# The SceneGraph channel template refuses feeds over 500 KB (RootHandler.brs: MAXSIZE = 500 * 1024).
ROKU_FEED_MAX_BYTES = 500 * 1024
# Newest videos only. A worst-case item (Arabic title and descriptions at their limits, ten
# tags, captions) is about 3.2 KB, so 150 of them stay under ROKU_FEED_MAX_BYTES;
# fit_to_size() trims anything that still does not fit.
MAX_SHORT_FORM_VIDEOS = 150
# Direct Publisher spec limits.
SHORT_DESCRIPTION_MAX = 200
LONG_DESCRIPTION_MAX = 500
TAG_MAX_LENGTH = 20
PLAYLIST_NAME_MAX = 20
LIVE_FEED_ID_MAX = 50
# Thumbnails: 16:9, at least 800x450 for videos; 1920x1080 JPEG for live feeds.
THUMBNAIL_SPEC = "fill-1280x720|format-jpeg"
THUMBNAIL_MIN_WIDTH, THUMBNAIL_MIN_HEIGHT = 800, 450
LIVE_THUMBNAIL_SPEC = "fill-1920x1080|format-jpeg"
GENRES = ["news"]
VIDEO_QUALITY = "HD"

# Invalidation is by generation: a new token makes every host's cached copy unreachable.
CACHE_GENERATION_KEY = "tv:roku:generation"
CACHE_CHANGED_AT_KEY = "tv:roku:changed-at"
# A safety net for caches that are per process (locmem) and miss another process's change.
CACHE_SECONDS = 600


# Roku's feed spec wants at least one of movies, series, shortFormVideos or tvSpecials,
# and an empty list is no content. With nothing playable there is no valid feed to give,
# so the URL answers 404 with this text instead of an invalid one: the SceneGraph template
# then shows its own "Cannot obtain Feed" tile (an empty but parseable feed gives a blank
# grid), and the mirror export leaves the file out of the copy instead of failing. A live
# stream alone does not count: liveFeeds is not one of the four, and a stream has no
# duration or captions to pass as a tvSpecial.
NO_VIDEOS_TEXT = (
    "There is no Roku feed yet: Roku's feed format needs at least one video, and no "
    "published video has everything the channel needs (a video file or address, a "
    "duration and a lead image of at least 800x450).\n"
)


@dataclass(frozen=True)
class RenderedFeed:
    body: bytes | None  # None: no video to offer (see NO_VIDEOS_TEXT)
    etag: str
    last_modified: object  # aware datetime


def invalidate():
    """Forget every cached copy of the feed (called on publish, unpublish, settings save)."""
    cache.set(CACHE_GENERATION_KEY, uuid.uuid4().hex, None)
    cache.set(CACHE_CHANGED_AT_KEY, timezone.now(), None)


def cache_key(request):
    generation = cache.get(CACHE_GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        # add() so two processes starting together agree on one generation.
        cache.add(CACHE_GENERATION_KEY, generation, None)
        generation = cache.get(CACHE_GENERATION_KEY, generation)
    digest = hashlib.sha256(public_base(request).encode()).hexdigest()[:16]
    return f"tv:roku:feed:{generation}:{digest}"


def rendered_feed(request):
    """The feed for the address this request reads it at, from the cache when it can be."""
    key = cache_key(request)
    rendered = cache.get(key)
    if rendered is None:
        feed = build_feed(request)
        body = fit_to_size(feed) if feed["shortFormVideos"] else None
        rendered = RenderedFeed(
            body=body,
            etag='"' + hashlib.sha256(body or b"").hexdigest()[:32] + '"',
            last_modified=parse_iso(feed["lastUpdated"]),
        )
        cache.set(key, rendered, CACHE_SECONDS)
    return rendered


def serialise(feed):
    # UTF-8 rather than \u escapes: Arabic or Persian titles take a third of the bytes.
    return json.dumps(feed, ensure_ascii=False, separators=(",", ":")).encode()


def fit_to_size(feed, max_bytes=ROKU_FEED_MAX_BYTES):
    """Serialise, dropping the oldest videos until the feed fits Roku's size limit.

    The newest video always stays: a feed with none is not a feed (NO_VIDEOS_TEXT), and
    one item cannot come near the limit (its fields are capped).
    """
    body = serialise(feed)
    while len(body) > max_bytes and len(feed["shortFormVideos"]) > 1:
        # Drop roughly the share that is over, at least one item, oldest first.
        videos = feed["shortFormVideos"]
        over = len(body) - max_bytes
        average = max(1, len(body) // (len(videos) + 1))
        keep = max(1, len(videos) - max(1, over // average))
        feed["shortFormVideos"] = videos[:keep]
        kept = {item["id"] for item in feed["shortFormVideos"]}
        prune_playlists(feed, kept)
        body = serialise(feed)
    return body


def prune_playlists(feed, kept_ids):
    playlists = []
    for playlist in feed.get("playlists", []):
        item_ids = [item_id for item_id in playlist["itemIds"] if item_id in kept_ids]
        if item_ids:
            playlists.append({**playlist, "itemIds": item_ids})
    names = {playlist["name"] for playlist in playlists}
    feed["playlists"] = playlists
    feed["categories"] = [c for c in feed.get("categories", []) if c["playlistName"] in names]
    for key in ("playlists", "categories"):
        if not feed[key]:
            del feed[key]


# Building --------------------------------------------------------------------------------


def build_feed(request):
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    publication = PublicationSettings.for_site(site) if site else PublicationSettings()
    live = LiveStreamSettings.for_site(site) if site else LiveStreamSettings()
    root = site.root_page if site else None

    videos = video_items(request, root)
    feed = {
        "providerName": publication.name,
        "language": publication.language or "en",
        "lastUpdated": "",
        "shortFormVideos": [item for item, _page in videos],
    }
    live_feed = live_feed_item(request, live)
    if live_feed:
        feed["liveFeeds"] = [live_feed]
    categories, playlists = section_playlists(root, videos)
    if playlists:
        feed["categories"] = categories
        feed["playlists"] = playlists
    feed["lastUpdated"] = iso(last_updated(videos, live if live_feed else None))
    return feed


def video_queryset(root):
    Image = get_image_model()
    pages = VideoPage.objects.live().public()
    if root is not None:
        pages = pages.descendant_of(root)
    return (
        pages.order_by("-first_published_at", "-pk")
        .prefetch_related(
            Prefetch("lead_image", queryset=Image.objects.prefetch_renditions(THUMBNAIL_SPEC)),
            "tagged_topics__tag",
        )
        .defer("body")[:MAX_SHORT_FORM_VIDEOS]
    )


def video_items(request, root):
    """(item, page) pairs, newest first, for pages Roku can play."""
    pairs = [(video_item(request, page), page) for page in video_queryset(root)]
    return [(item, page) for item, page in pairs if item]


def video_item(request, page):
    """One shortFormVideo, or None if the page lacks what Roku requires."""
    video = video_source(request, page)
    thumbnail = thumbnail_url(request, page.lead_image)
    if not video or not thumbnail or not page.duration or not page.first_published_at:
        return None
    short = clip(page.standfirst or page.title, SHORT_DESCRIPTION_MAX)
    item = {
        "id": video_id(page),
        "title": page.title,
        "shortDescription": short,
    }
    long = clip(page.standfirst, LONG_DESCRIPTION_MAX)
    # The spec wants the long description only when it says more than the short one.
    if long and long != short:
        item["longDescription"] = long
    item.update(
        {
            "thumbnail": thumbnail,
            "releaseDate": timezone.localtime(page.first_published_at).date().isoformat(),
            "genres": GENRES,
            "tags": topic_tags(page),
            "content": {
                "dateAdded": iso(page.first_published_at),
                "videos": [video],
                "duration": int(page.duration),
            },
        }
    )
    if not item["tags"]:
        del item["tags"]
    if page.captions:
        item["content"]["captions"] = [
            {
                "url": absolute_url(request, page.captions.url),
                "language": page.captions_language or "en",
                "captionType": "CLOSED_CAPTION",
            }
        ]
    return item


def video_id(page):
    """Roku keys watch history and bookmarks on the id, so it never changes: the page's pk."""
    return f"video-{page.pk}"


def video_source(request, page):
    if page.video_file:
        url = absolute_url(request, page.video_file.url)
    elif page.video_url:
        url = page.video_url
    else:
        return None
    video = {"url": url, "quality": VIDEO_QUALITY, "videoType": video_type(url)}
    # The spec wants a bitrate for non-adaptive files; we can only know it for our own uploads.
    if video["videoType"] != "HLS" and page.video_file:
        bitrate = file_bitrate_kbps(page.video_file, page.duration)
        if bitrate:
            video["bitrate"] = bitrate
    return video


def file_bitrate_kbps(field_file, duration):
    """Average bitrate from size and length (sizes are cached: remote storage is slow)."""
    if not duration:
        return None
    size = media.stored_size(field_file)
    if size is None:
        return None
    return max(1, round(size * 8 / duration / 1000))


def video_type(url):
    path = urlsplit(url).path.lower()
    if path.endswith(".m3u8"):
        return "HLS"
    if path.endswith(".mov"):
        return "MOV"
    if path.endswith(".m4v"):
        return "M4V"
    return "MP4"


def thumbnail_url(
    request, image, spec=THUMBNAIL_SPEC, min_size=(THUMBNAIL_MIN_WIDTH, THUMBNAIL_MIN_HEIGHT)
):
    if image is None:
        return None
    try:
        rendition = image.get_rendition(spec)
    except Exception:  # noqa: BLE001 - a missing or broken original must not break the feed
        return None
    # Wagtail's fill never upscales: a small original gives a small thumbnail Roku rejects.
    if rendition.width < min_size[0] or rendition.height < min_size[1]:
        return None
    return absolute_url(request, rendition.url)


def topic_tags(page):
    tags = []
    for tagged in page.tagged_topics.all():
        tag = clip(tagged.tag.name, TAG_MAX_LENGTH, ellipsis="")
        if tag and tag not in tags:
            tags.append(tag)
    return tags


def live_feed_item(request, live):
    if not live.on_air or live.thumbnail_id is None:
        return None
    thumbnail = thumbnail_url(request, live.thumbnail, LIVE_THUMBNAIL_SPEC, (1, 1))
    if not thumbnail:
        return None
    description = live.description or live.title
    return {
        "id": (live.feed_id or "live")[:LIVE_FEED_ID_MAX],
        "title": live.title,
        "content": {
            "dateAdded": iso(live.updated_at or timezone.now()),
            "videos": [{"url": live.hls_url, "quality": VIDEO_QUALITY, "videoType": "HLS"}],
        },
        "thumbnail": thumbnail,
        "shortDescription": clip(description, SHORT_DESCRIPTION_MAX),
        "longDescription": clip(description, LONG_DESCRIPTION_MAX),
        "genres": GENRES,
    }


def section_playlists(root, videos):
    """A category and playlist per top-level section that has videos in the feed."""
    if root is None or not videos:
        return [], []
    sections = list(
        SectionPage.objects.child_of(root).live().public().order_by("path").only("title", "path")
    )
    categories, playlists, used = [], [], set()
    for section in sections:
        item_ids = [item["id"] for item, page in videos if page.path.startswith(section.path)]
        if not item_ids:
            continue
        name = unique_name(clip(section.title, PLAYLIST_NAME_MAX, ellipsis=""), used)
        categories.append({"name": section.title, "playlistName": name, "order": "most_recent"})
        playlists.append({"name": name, "itemIds": item_ids})
    return categories, playlists


def unique_name(name, used):
    candidate, n = name, 2
    while candidate in used:
        suffix = f" {n}"
        candidate = name[: PLAYLIST_NAME_MAX - len(suffix)].rstrip() + suffix
        n += 1
    used.add(candidate)
    return candidate


def last_updated(videos, live):
    times = [page.last_published_at or page.first_published_at for _item, page in videos]
    if live is not None and live.updated_at:
        times.append(live.updated_at)
    changed_at = cache.get(CACHE_CHANGED_AT_KEY)
    if changed_at:
        times.append(changed_at)
    times = [t for t in times if t]
    return max(times) if times else timezone.now()


# Small helpers ---------------------------------------------------------------------------


def clip(text, limit, ellipsis="…"):
    """Whitespace-normalised text cut at a word boundary to at most `limit` characters."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ellipsis)]
    # Drop the last, partly cut word unless the cut fell just before a space.
    if " " in cut and not text[len(cut)].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + ellipsis


def iso(moment):
    """ISO 8601 with an explicit offset, as lastUpdated and dateAdded require."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(value):
    return datetime.fromisoformat(value)
