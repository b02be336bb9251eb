"""Background refresh of the mirrors after a publish: never on the editor's request."""

import contextlib
import fcntl
import logging

from django_tasks import task

from . import conf, targets

logger = logging.getLogger("masthead.mirrors")
REFRESH_LOCK = ".refresh.lock"


@task()
def refresh_mirrors(page_ids=None, recorded=False):
    """Bring every target level with all the changes recorded so far, in one run.

    page_ids: the pages this task was queued for (None: everything). enqueue_refresh has
    already recorded them (recorded=True); a direct call records them here. Either way the
    run takes every pending change, so in a burst of publishes the first task to run does
    the work and the tasks queued behind it find nothing left and return at once.

    Failures are logged, not raised, and the changes go back to wait for the next run.
    """
    from . import pending

    if not conf.targets():
        return "no mirror targets configured"
    if not recorded:
        pending.record(page_ids)
    try:
        with refresh_lock():
            # Claimed under the lock: a task that waited for a long run takes everything
            # recorded meanwhile, instead of one change per run.
            claim = pending.claim()
            if claim is None:
                return "nothing pending"
            return run_claim(claim)
    except OSError as error:
        logger.exception("mirror refresh for pages %s failed", page_ids)
        return f"failed: {error}"


def run_claim(claim):
    from wagtail.models import Page

    from . import pipeline

    label = "all pages" if claim.full_export else f"pages {claim.page_ids}"
    try:
        pages = None
        if not claim.full_export:
            pages = list(Page.objects.filter(pk__in=claim.page_ids).specific())
            if len(pages) < len(claim.page_ids):
                pages = None  # a page was deleted: its old URLs are unknown, so redo the copy
        # Editors' unpublishing, deleting or restricting must reach the copies however much
        # it removes; a drop the public page count does not explain (a broken query) is
        # refused, logged and shown in the Mirrors panel.
        result = pipeline.run(pages=pages, allow_shrink="explained", trigger="refresh")
    except Exception as error:
        claim.release()
        logger.exception("mirror refresh for %s failed", label)
        return f"failed: {error}"
    claim.done()
    logger.info("mirror refresh for %s: %s", label, result.summary())
    return result.summary()


@contextlib.contextmanager
def refresh_lock():
    """One refresh at a time on this machine's version store, held from the claim to the
    push. (The store's own lock is taken again inside pipeline.run, and flock is not
    re-entrant, hence a lock file of its own.) Workers on other machines are kept apart by
    the claim in the database."""
    root = targets.primary_local_root()
    root.mkdir(parents=True, exist_ok=True)
    with open(root / REFRESH_LOCK, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@task()
def purge_frontend_cache(page_id):
    """Purge what a published or unpublished page touches from the CDN, on every live host.

    A page deleted before this ran leaves its old URLs unknown: the home page and the site
    feeds are purged, the rest expires after MASTHEAD_CDN_MAX_AGE.
    """
    from wagtail.models import Page

    from masthead.changes import affected

    from . import purge

    if not purge.configured():
        return "no frontend cache configured"
    try:
        page = Page.objects.filter(pk=page_id).first()
        if page is None:
            paths = affected.deleted_page_paths()
        else:
            paths = affected.purge_paths(page)
        urls = purge.purge_urls(paths)
    except Exception as error:
        logger.exception("frontend cache purge for page %s failed", page_id)
        return f"failed: {error}"
    return f"purged {len(urls)} URLs"
