"""Syndication settings; the defaults and the environment are in settings/base.py."""

from urllib.parse import urlsplit

from django.conf import settings


def full_text():
    """Put the whole article body in feeds (content:encoded, Atom content, content_html)."""
    return settings.MASTHEAD_FEEDS_FULL_TEXT


def cache_seconds():
    """How long a generated feed or sitemap may sit in the cache.

    Publishing bumps the generation counter (cache.py) so outputs are rebuilt at once, but
    only for processes that share the counter. With a shared cache (Redis) that is every
    process, so entries can live a day. With local memory each process has its own
    counter, and a publish in the admin's worker is unseen by the others: keep entries
    for a minute so every worker catches up soon.
    """
    if settings.MASTHEAD_SYNDICATION_CACHE_SECONDS is not None:
        return settings.MASTHEAD_SYNDICATION_CACHE_SECONDS
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    return 60 if backend.endswith(("LocMemCache", "DummyCache")) else 24 * 3600


def tag_authority():
    """The authority of the tag: URIs used as item ids (RFC 4151), e.g. "example.com,2024".

    It must never change once feeds are public, so it is a setting of its own rather than
    whatever host a feed is requested on; unset, it is the primary domain's host.
    """
    if settings.MASTHEAD_FEED_TAG_AUTHORITY:
        return settings.MASTHEAD_FEED_TAG_AUTHORITY
    host = urlsplit(settings.PRIMARY_URL).hostname or "localhost"
    return f"{host},2024"
