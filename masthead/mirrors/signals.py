"""Queue a mirror refresh and a CDN purge (never wait on either).

What changes queue them, once their transaction commits, is masthead/changes/receivers.py.
"""

import logging

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


def enqueue_purge_paths(paths):
    """Queue a purge of these site paths: a deleted or moved page's old URLs, which no
    page id can name any more."""
    from .purge import purge_paths

    enqueue(purge_paths, list(paths))


def enqueue(task, argument):
    try:
        task.enqueue(argument)
    except Exception:
        # The queue being down must not turn a publish into an error page.
        logger.exception("could not queue %s(%r)", task.name, argument)
