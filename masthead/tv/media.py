"""Where a video page's video lives and how browsers should be told its type."""

import hashlib
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.core.cache import cache

# Uploaded files never change under a name (uploads get fresh names), so sizes keep.
SIZE_CACHE_SECONDS = 30 * 24 * 3600

# <source type>: browsers that cannot play HLS skip it rather than downloading the playlist.
HLS_MIME_TYPE = "application/x-mpegURL"
MP4_MIME_TYPE = "video/mp4"


@dataclass(frozen=True)
class VideoSource:
    url: str
    mime_type: str

    @property
    def is_hls(self):
        return self.mime_type == HLS_MIME_TYPE


def is_hls_url(url):
    return urlsplit(url).path.lower().endswith(".m3u8")


def page_video_source(page):
    """The page's uploaded file, else its external URL; None if it has neither."""
    if page.video_file:
        url = page.video_file.url
    elif page.video_url:
        url = page.video_url
    else:
        return None
    return VideoSource(url=url, mime_type=HLS_MIME_TYPE if is_hls_url(url) else MP4_MIME_TYPE)


def stored_size(field_file):
    """An uploaded file's size in bytes, or None if storage cannot say. Cached: on remote
    storage (S3) each size is a round trip, and feeds and the Roku feed ask for many."""
    if not field_file:
        return None
    key = "tv:size:" + hashlib.sha256(field_file.name.encode()).hexdigest()[:32]
    size = cache.get(key)
    if size is None:
        try:
            size = field_file.size
        except (OSError, ValueError):
            return None
        cache.set(key, size, SIZE_CACHE_SECONDS)
    return size
