"""The section navigation every public page shows: the home page's top-level sections.

One small cached value per site, so a warm page costs no query for it. The cache is dropped
when a section is published, unpublished, moved or deleted, and when a site changes (its
root page decides the top level); also when a page is made private or public again
(masthead/changes/receivers.py), since a private section is left out.
"""

import functools

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from masthead.publication.chrome import CHROME_CACHE_SECONDS, forget_per_site, site_for

from .listings import public_only, section_pages
from .models import NEWS, SectionPage

NAV_KEY = "masthead:chrome:nav:{site_id}"


@functools.cache
def _live_public_sections():
    # Built once per process and only cloned, never evaluated: resolving the restriction
    # filter costs more than running the query. It holds no data, so it cannot go stale.
    return public_only(section_pages(NEWS).live())


def navigation(request):
    """Top-level sections as [{"title", "url"}], in the editors' menu order."""
    site = site_for(request)
    if site is None:
        return []
    key = NAV_KEY.format(site_id=site.pk)
    items = cache.get(key)
    if items is None:
        root = site.root_page
        prefix_len = len(root.url_path) - 1
        # The children of the root, as Wagtail's child_of() finds them, on a prebuilt query.
        children = _live_public_sections().filter(path__startswith=root.path, depth=root.depth + 1)
        items = [
            {"title": title, "url": url_path[prefix_len:]}
            for title, url_path in children.order_by("path").values_list("title", "url_path")
        ]
        cache.set(key, items, CHROME_CACHE_SECONDS)
    return items


def forget_navigation():
    forget_per_site(NAV_KEY)


def section_changed(sender, **kwargs):
    forget_navigation()


def connect():
    page_published.connect(section_changed, sender=SectionPage, dispatch_uid="masthead-nav-pub")
    page_unpublished.connect(section_changed, sender=SectionPage, dispatch_uid="masthead-nav-unpub")
    post_delete.connect(section_changed, sender=SectionPage, dispatch_uid="masthead-nav-del")
    # A move can take a section into or out of the top level; moves are rare, so any move
    # (whatever its sender class) drops the menu.
    post_page_move.connect(section_changed, dispatch_uid="masthead-nav-move")
    post_save.connect(section_changed, sender=Site, dispatch_uid="news-nav-site-saved")
    post_delete.connect(section_changed, sender=Site, dispatch_uid="news-nav-site-deleted")
