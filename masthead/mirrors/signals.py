"""Publishing queues a mirror refresh and a CDN purge once the transaction commits (never
waits on either)."""

import functools
import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from masthead.importers.signals import import_finished

from . import conf, purge, registry
from .models import Mirror

logger = logging.getLogger("masthead.mirrors")


def enqueue_refresh(page_id):
    """Queue a refresh of what one page touches; page_id None: a full export.

    The change is recorded in the database first (pending.py): whichever refresh runs
    next takes it along with every other change waiting, so a burst costs one export.
    """
    from . import pending
    from .tasks import refresh_mirrors

    page_ids = None if page_id is None else [page_id]
    try:
        pending.record(page_ids)
    except Exception:
        # As with the queue: a publish must not turn into an error page.
        logger.exception("could not record the mirror refresh of page %r", page_id)
        return
    try:
        refresh_mirrors.enqueue(page_ids, recorded=True)
    except Exception:
        logger.exception("could not queue %s(%r)", refresh_mirrors.name, page_ids)


def enqueue_purge(page_id):
    from .tasks import purge_frontend_cache

    enqueue(purge_frontend_cache, page_id)


def enqueue(task, argument):
    try:
        task.enqueue(argument)
    except Exception:
        # The queue being down must not turn a publish into an error page.
        logger.exception("could not queue %s(%r)", task.name, argument)


@receiver(page_published)
@receiver(page_unpublished)
def page_changed(sender, instance, **kwargs):
    page_id = instance.pk
    if conf.targets():
        # A story changes a known set of pages. A section, author or the home page shows
        # in the navigation, URLs or bylines of pages below or beside it: redo the copy.
        refresh = page_id if is_story(instance) else None
        transaction.on_commit(functools.partial(enqueue_refresh, refresh))
    if purge.configured():
        transaction.on_commit(functools.partial(enqueue_purge, page_id))


@receiver(post_page_move)
def page_moved(sender, instance, url_path_before, url_path_after, **kwargs):
    # Every page below a moved one changes its URL, and the old files must go.
    if conf.targets() and url_path_before != url_path_after:
        transaction.on_commit(functools.partial(enqueue_refresh, None))


def is_story(page):
    from masthead.news.models import ArticlePage

    return issubclass(page.specific_class or type(page), ArticlePage)


@receiver(import_finished)
def stories_imported(sender, **kwargs):
    # An import may touch thousands of pages: one full export is cheaper than one
    # incremental refresh per story, and it also catches moved pages.
    if conf.targets():
        transaction.on_commit(functools.partial(enqueue_refresh, None))


@receiver(post_save, sender=Mirror)
@receiver(post_delete, sender=Mirror)
def registry_changed(sender, **kwargs):
    registry.clear()
