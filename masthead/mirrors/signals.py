"""Queue a mirror refresh and a CDN purge (never wait on either).

What changes queue them, once their transaction commits, is masthead/changes/receivers.py.
"""

import logging

logger = logging.getLogger("masthead.mirrors")


def enqueue_refresh(page_id):
    """Queue a refresh of what one page touches; page_id None: a full export."""
    from .tasks import refresh_mirrors

    enqueue(refresh_mirrors, None if page_id is None else [page_id])


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
