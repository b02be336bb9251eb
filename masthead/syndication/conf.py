"""Syndication settings, read from Django settings first and the environment second."""

import os

from django.conf import settings


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def full_text():
    """Put the whole article body in feeds (content:encoded, Atom content, content_html)."""
    return getattr(
        settings, "MASTHEAD_FEEDS_FULL_TEXT", env_bool("MASTHEAD_FEEDS_FULL_TEXT", False)
    )


def cache_seconds():
    """How long a generated feed or sitemap may sit in the cache.

    Publishing bumps the generation counter (cache.py) so outputs are rebuilt at once, but
    only for processes that share the counter. With a shared cache (Redis) that is every
    process, so entries can live a day. With local memory each process has its own
    counter, and a publish in the admin's worker is unseen by the others: keep entries
    for a minute so every worker catches up soon.
    """
    value = getattr(
        settings,
        "MASTHEAD_SYNDICATION_CACHE_SECONDS",
        os.environ.get("MASTHEAD_SYNDICATION_CACHE_SECONDS"),
    )
    if value not in (None, ""):
        return int(value)
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return 60 if backend.endswith(("LocMemCache", "DummyCache")) else 24 * 3600


def tag_authority():
    """The authority of the tag: URIs used as item ids (RFC 4151), e.g. "example.com,2024".

    It must never change once feeds are public, so it is a setting of its own rather than
    whatever host a feed is requested on.
    """
    value = getattr(
        settings, "MASTHEAD_FEED_TAG_AUTHORITY", os.environ.get("MASTHEAD_FEED_TAG_AUTHORITY")
    )
    if value:
        return value
    from urllib.parse import urlsplit

    host = urlsplit(getattr(settings, "PRIMARY_URL", "http://localhost")).hostname or "localhost"
    return f"{host},2024"
