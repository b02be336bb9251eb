"""The footer's "On air now" link, shown on every public page while the live stream is on
air: /live/ is only worth a link while there is something to watch there.

One small cached value per site; dropped when the live stream setting is saved.
"""

from django.core.cache import cache
from django.db.models.signals import post_save

from masthead.publication.chrome import CHROME_CACHE_SECONDS, forget_per_site, site_for

from .models import LiveStreamSettings

LIVE_KEY = "masthead:chrome:live:{site_id}"


def live_stream(request):
    """{"title", "url"} of the live stream while it is on air, else None."""
    site = site_for(request)
    if site is None:
        return None
    key = LIVE_KEY.format(site_id=site.pk)
    item = cache.get(key)
    if item is None:
        live = LiveStreamSettings.for_site(site)
        # False rather than None, so that "off air" is cached too.
        item = {"title": live.title, "url": "/live/"} if live.on_air else False
        cache.set(key, item, CHROME_CACHE_SECONDS)
    return item or None


def forget_live_stream():
    forget_per_site(LIVE_KEY)


def live_stream_changed(sender, **kwargs):
    forget_live_stream()


def connect():
    post_save.connect(
        live_stream_changed, sender=LiveStreamSettings, dispatch_uid="masthead-live-save"
    )
