"""Every kind of change readers may see, and what each queues once its transaction commits.

A publish, unpublish (scheduled expiry included: Wagtail's publish_scheduled unpublishes),
privacy change, move or deletion of a page queues a mirror refresh and a CDN purge through
masthead.mirrors.signals (enqueue_refresh, enqueue_purge); so do an import and an edit of
what shows on every page (the publication settings, the mirror registry). A privacy change
also drops the feed, sitemap and navigation caches at once, as publishing already does
(masthead/syndication/signals.py, masthead/news/navigation.py).

Which URLs each change touches is affected.py's answer, asked by the tasks when they run.
"""

import functools

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from masthead.importers.signals import import_finished
from masthead.mirrors import conf, purge, registry, signals
from masthead.mirrors.models import Mirror
from masthead.news.navigation import forget_navigation
from masthead.publication.models import PublicationSettings
from masthead.publication.paths import default_site_path, site_root_prefix
from masthead.syndication.signals import changed as outputs_changed
from masthead.tv.models import LiveStreamSettings

from .affected import is_story, purge_paths, subtree_paths


class Queued(functools.partial):
    """An on_commit callback that knows whether it has run: a test's capture of the
    callbacks runs them but leaves them in the connection's list."""

    ran = False

    def __call__(self, *args, **kwargs):
        self.ran = True
        return super().__call__(*args, **kwargs)


def pending_callback(function, args=None):
    """The callback queued in this transaction for function(*args), not run yet (args
    None: whatever its arguments)."""
    connection = transaction.get_connection()
    for _savepoints, callback, *_robust in getattr(connection, "run_on_commit", []):
        if isinstance(callback, Queued) and not callback.ran and callback.func is function:
            if args is None or callback.args == args:
                return callback
    return None


def on_commit_once(function, *args):
    # A deletion sends a signal per page of the subtree and a privacy change may come with
    # a publish: one transaction queues each task once.
    if pending_callback(function, args) is None:
        transaction.on_commit(Queued(function, *args))


def queue_page(page):
    """Refresh and purge what this page touches: a story, its own pages; anything else
    shows in the navigation, URLs or bylines of pages below or beside it: the whole copy."""
    if conf.targets():
        on_commit_once(signals.enqueue_refresh, page.pk if is_story(page) else None)
    if purge.configured():
        on_commit_once(signals.enqueue_purge, page.pk)


def queue_everything():
    """Something every page shows changed: redo the copy, purge the home page's set."""
    if conf.targets():
        on_commit_once(signals.enqueue_refresh, None)
    if purge.configured():
        root = Page.objects.filter(sites_rooted_here__is_default_site=True).first()
        if root is not None:
            on_commit_once(signals.enqueue_purge, root.pk)


def queue_path_purge(paths):
    """Purge these paths after the commit, with one task for the whole transaction."""
    paths = [path for path in paths if path]
    if not paths or not purge.configured():
        return
    pending = pending_callback(signals.enqueue_purge_paths)
    if pending is None:
        transaction.on_commit(Queued(signals.enqueue_purge_paths, list(paths)))
    else:
        # The list is the queued callback's own argument: later pages of the same
        # transaction (a deleted subtree) join the one task.
        pending.args[0].extend(path for path in paths if path not in pending.args[0])


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    queue_page(instance)


@receiver(post_page_move)
def page_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    # Every page below a moved one changes its URL, and the old files must go.
    if url_path_before == url_path_after:
        return
    if conf.targets():
        on_commit_once(signals.enqueue_refresh, None)
    if purge.configured():
        prefix = site_root_prefix(None)
        if url_path_before.startswith(prefix):
            old = url_path_before[len(prefix) - 1 :]
            new = instance.url_path[len(prefix) - 1 :]
            below = subtree_paths(instance)
            queue_path_purge([old] + [old + path[len(new) :] for path in below])
        on_commit_once(signals.enqueue_purge, instance.pk)
        for parent in (kwargs.get("parent_page_before"), kwargs.get("parent_page_after")):
            if parent is not None:
                on_commit_once(signals.enqueue_purge, parent.pk)


@receiver(pre_delete, sender=Page)
def page_deleted(sender, instance, **kwargs):
    # Sent with sender=Page once for every page deleted (a specific page's parent row is
    # deleted with it), while every row still exists: the URLs are named now, since the
    # tasks will find nothing left to ask.
    if not instance.live:
        return
    if conf.targets():
        on_commit_once(signals.enqueue_refresh, None)
    if purge.configured():
        page = instance.specific
        if is_story(page):
            queue_path_purge(purge_paths(page))
        else:
            queue_path_purge([default_site_path(page)])  # the pages below send their own signals
        parent = instance.get_parent()
        if parent is not None:
            on_commit_once(signals.enqueue_purge, parent.pk)


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def privacy_changed(sender, instance, **kwargs):
    """A page (and everything under it) became private or public again."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:
        return  # deleted with its page: page_deleted has queued what is needed
    outputs_changed()
    forget_navigation()
    transaction.on_commit(forget_navigation)
    queue_page(page.specific)


@receiver(import_finished)
def stories_imported(sender, **kwargs):
    # An import may touch thousands of pages: one full export is cheaper than one
    # incremental refresh per story, and it also catches moved pages.
    if conf.targets():
        on_commit_once(signals.enqueue_refresh, None)


@receiver(post_save, sender=Mirror)
@receiver(post_delete, sender=Mirror)
def registry_changed(sender, **kwargs):
    registry.clear()
    # Every page's notice lists the public mirrors, and the copies carry the list.
    queue_everything()


@receiver(post_save, sender=LiveStreamSettings)
def live_stream_changed(sender, created=False, **kwargs):
    # Every page's footer links to /live/ while it is on air, and copies carry /live/ and
    # the Roku feed's liveFeeds: going on or off air redoes the copy and purges.
    if not created:
        queue_everything()


@receiver(post_save, sender=PublicationSettings)
def publication_settings_changed(sender, created=False, **kwargs):
    # Created with its defaults on first read, during a request already showing them: only
    # an edit changes the name, logo and handles every page shows.
    if not created:
        queue_everything()
