"""Keep the Roku feed fresh: any change that alters it drops the cached copies."""

import logging

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from masthead.news.models import VideoPage
from masthead.publication.models import PublicationSettings

from . import roku
from .models import LiveStreamSettings

logger = logging.getLogger(__name__)


def drop_roku_feed(sender, **kwargs):
    roku.invalidate()


def video_published(sender, instance, **kwargs):
    roku.invalidate()
    # Make the TV thumbnail now, one at a time, so the feed never has to make a hundred
    # of them inside a Roku device's request.
    if instance.lead_image_id:
        try:
            instance.lead_image.get_rendition(roku.THUMBNAIL_SPEC)
        except Exception:  # noqa: BLE001 - a broken image must not stop a publish
            logger.warning("Could not make the Roku thumbnail for page %s", instance.pk)


def drop_roku_feed_on_settings_change(sender, created=False, **kwargs):
    # for_site() creates a settings row with defaults the first time it is read, which
    # happens while the feed is being built: that changes nothing the feed shows.
    if not created:
        roku.invalidate()


def connect():
    # Wagtail sends page signals with the specific class as sender.
    page_published.connect(video_published, sender=VideoPage, dispatch_uid="tv-roku-published")
    page_unpublished.connect(drop_roku_feed, sender=VideoPage, dispatch_uid="tv-roku-unpublished")
    # Deleting a live page sends no unpublish signal.
    post_delete.connect(drop_roku_feed, sender=VideoPage, dispatch_uid="tv-roku-deleted")
    post_save.connect(
        drop_roku_feed_on_settings_change, sender=LiveStreamSettings, dispatch_uid="tv-roku-live"
    )
    # providerName and language come from the publication's identity.
    post_save.connect(
        drop_roku_feed_on_settings_change, sender=PublicationSettings, dispatch_uid="tv-roku-pub"
    )
