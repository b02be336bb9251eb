"""Background refresh of the mirrors after a publish: never on the editor's request."""

import logging

from django_tasks import task

from . import conf

logger = logging.getLogger("masthead.mirrors")


@task()
def refresh_mirrors(page_ids=None):
    """Re-render what these pages touch (None: everything), make a new version and push
    it to every target.

    Failures are logged, not raised: a mirror that cannot be updated now is caught up by
    the next publish or by a scheduled full `masthead mirror export`.
    """
    from wagtail.models import Page

    from . import pipeline

    if not conf.targets():
        return "no mirror targets configured"
    try:
        pages = None
        if page_ids is not None:
            pages = list(Page.objects.filter(pk__in=page_ids).specific())
            if len(pages) < len(set(page_ids)):
                pages = None  # a page was deleted: its old URLs are unknown, so redo the copy
        result = pipeline.run(pages=pages)
    except Exception as error:
        logger.exception("mirror refresh for pages %s failed", page_ids)
        return f"failed: {error}"
    logger.info("mirror refresh for pages %s: %s", page_ids, result.summary())
    return result.summary()


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
