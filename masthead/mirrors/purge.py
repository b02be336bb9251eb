"""Purge a CDN or caching proxy after a publish: every URL the story touches, on every host
the site answers on.

The CDN itself is configured as Wagtail's frontend cache (WAGTAILFRONTENDCACHE, read from
MASTHEAD_FRONTEND_CACHE). Wagtail purges a published page's own URL on its primary host; a
story also changes its sections' listings, the home page, its topic and author pages and the
feeds (masthead.changes.affected says which), and readers reach it on the live mirrors too,
which is what this adds. It runs in a task after the commit, so publishing never waits on
the CDN; a CDN that refuses a purge is logged by the backend, and the page expires after
MASTHEAD_CDN_MAX_AGE anyway.
"""

import logging

from django.conf import settings
from django_tasks import task

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


def purge_urls(paths):
    """Ask every configured backend to purge these paths on every live origin."""
    from wagtail.contrib.frontend_cache.tasks import purge_urls_from_cache_task

    urls = [origin + path for origin in live_origins() for path in paths]
    # Wagtail's own task body routes each URL to the backends that cover its host name;
    # called directly, since this already runs in the background.
    purge_urls_from_cache_task.call(urls)
    return urls


@task()
def purge_paths(paths):
    """Purge these site paths on every live origin: a deleted or moved page's old URLs,
    named while the page still existed."""
    if not configured():
        return "no frontend cache configured"
    try:
        urls = purge_urls(paths)
    except Exception as error:
        logger.exception("frontend cache purge of %d paths failed", len(paths))
        return f"failed: {error}"
    return f"purged {len(urls)} URLs"
