"""Purge a CDN or caching proxy after a publish: every URL the story touches, on every host
the site answers on.

The CDN itself is configured as Wagtail's frontend cache (WAGTAILFRONTENDCACHE, read from
MASTHEAD_FRONTEND_CACHE). Wagtail purges a published page's own URL on its primary host; a
story also changes its sections' listings, the home page, its topic and author pages and the
feeds, and readers reach it on the live mirrors too, which is what this adds. It runs in a
task after the commit, so publishing never waits on the CDN; a CDN that refuses a purge is
logged by the backend, and the page expires after MASTHEAD_CDN_MAX_AGE anyway.
"""

import logging

from django.conf import settings
from django.db.models import Q

from masthead.news.listings import STORIES_PER_PAGE

from .export import affected_paths, story_listings

logger = logging.getLogger("masthead.mirrors")


def configured():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def live_origins():
    """The primary origin, then every live or onion mirror's (this installation serves them)."""
    from .models import Mirror

    origins = [settings.PRIMARY_URL.rstrip("/")]
    for mirror in Mirror.objects.filter(kind__in=[Mirror.Kind.LIVE, Mirror.Kind.ONION]):
        if mirror.hostname:
            origins.append(mirror.origin)
    return list(dict.fromkeys(origins))


def numbered_pages(base, stories, story):
    """The numbered listing pages a story's arrival or departure changes.

    Pages count from the oldest story, so only the page that holds (or held) the story and
    those after it move; one page beyond the end covers a listing that just shrank.
    """
    published = story.first_published_at
    if published is None:
        return []
    older = stories.filter(
        Q(first_published_at__lt=published) | Q(first_published_at=published, pk__lt=story.pk)
    ).count()
    last = stories.count() // STORIES_PER_PAGE + 1
    first = older // STORIES_PER_PAGE + 1
    return [f"{base}page/{number}/" for number in range(first, last + 1)]


def story_purge_paths(page):
    """Paths whose cached copies are stale once this page is published or unpublished.

    A topic's or author's older ?page= pages are left to expire: each shifts by one story.
    """
    page = page.specific
    listings = story_listings(page)
    paths, _bases = affected_paths(page, listings)
    for base, stories, numbered in listings:
        if numbered:
            paths.extend(numbered_pages(base, stories, page))
    return list(dict.fromkeys(paths))


def purge_urls(paths):
    """Ask every configured backend to purge these paths on every live origin."""
    from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task

    urls = [origin + path for origin in live_origins() for path in paths]
    # Wagtail's own task body routes each URL to the backends that cover its host name;
    # called directly, since this already runs in the background.
    purge_urls_from_cache_task.call(urls)
    return urls
