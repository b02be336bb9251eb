"""Bump the output generation whenever what feeds and sitemaps show may have changed."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from .cache import invalidate


def changed(**kwargs):
    # Now, for this process's next request; and again after commit, in case a request
    # rebuilt an output from the old rows between the signal and the commit.
    invalidate()
    transaction.on_commit(invalidate)


def settings_saved(sender, created=False, **kwargs):
    # Settings are created with their defaults on first read, during a request that is
    # already showing those defaults; only an edit changes what outputs show.
    if not created:
        changed()


def page_saved(sender, instance, **kwargs):
    # Publishing sends page_published; this catches live pages saved directly (imports,
    # scripts, tree changes) whose changes readers see at once.
    if instance.live:
        changed()


def page_deleted(sender, instance, **kwargs):
    changed()


def connect():
    page_published.connect(changed, dispatch_uid="syndication-published")
    page_unpublished.connect(changed, dispatch_uid="syndication-unpublished")
    post_page_move.connect(changed, dispatch_uid="syndication-moved")
    # Any model's signal, filtered to pages: subclasses send with their own class as sender.
    post_save.connect(_page_post_save, dispatch_uid="syndication-page-saved")
    post_delete.connect(_page_post_delete, dispatch_uid="syndication-page-deleted")

    from masthead.news.models import Topic
    from masthead.publication.models import PublicationSettings

    post_save.connect(
        settings_saved, sender=PublicationSettings, dispatch_uid="syndication-settings"
    )
    post_save.connect(changed, sender=Topic, dispatch_uid="syndication-topic-saved")
    post_delete.connect(changed, sender=Topic, dispatch_uid="syndication-topic-deleted")


def _page_post_save(sender, instance, **kwargs):
    if isinstance(instance, Page):
        page_saved(sender, instance, **kwargs)


def _page_post_delete(sender, instance, **kwargs):
    if isinstance(instance, Page):
        page_deleted(sender, instance, **kwargs)
