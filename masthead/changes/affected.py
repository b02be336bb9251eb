"""Which URLs a change to a page affects: the one answer the mirror refresh
(masthead.mirrors.export) and the CDN purge (masthead.mirrors.purge) both use.

A page model says which of the site's pages show it (its affected_paths() and
affected_listings() hooks, masthead/news/models.py); the syndication app says which feeds and
sitemaps do (masthead/syndication/export.py); this module adds the documents every change
touches and answers with one type, Affected. It also knows which paths are private (under a
page with a view restriction), so that no copy ever holds them.

This module sits below the mirrors app (which imports it); receivers.py, beside it, sits
above and queues the refresh and the purge.
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from masthead.news.models import ArticlePage, VideoPage
from masthead.publication.paths import (
    default_site_path,
    listing_page_count,
    listing_page_holding,
    listing_page_path,
    tree_paths_to,
)
from masthead.syndication import export as syndication


@dataclass
class Listing:
    """A page that lists stories: its path, its live public stories, and whether it has
    /page/<n>/ pages counted from the oldest story (a section's archive)."""

    path: str
    stories: object  # a QuerySet of ArticlePage
    numbered: bool

    def page_count(self):
        """How many numbered pages its stories fill (a guess the mirror's walk refines)."""
        return listing_page_count(self.stories.count())

    def numbered_paths(self, story):
        """The numbered pages a story's arrival or departure changes.

        Pages count from the oldest story, so only the page that holds (or held) the story
        and those after it move; one page beyond the end covers a listing that just shrank.
        """
        published = story.first_published_at
        if not self.numbered or published is None:
            return []
        older = self.stories.filter(
            Q(first_published_at__lt=published) | Q(first_published_at=published, pk__lt=story.pk)
        ).count()
        last = listing_page_holding(self.stories.count())
        first = listing_page_holding(older)
        return [listing_page_path(self.path, number) for number in range(first, last + 1)]


@dataclass
class Affected:
    """What one page's publish, unpublish, privacy change or deletion changes.

    paths: every URL whose content changes (pages, feeds, sitemaps, JSON documents).
    listings: the story listings among them, whose numbered pages may shift too.
    """

    paths: list
    listings: list = field(default_factory=list)


def is_story(page):
    return issubclass(page.specific_class or type(page), ArticlePage)


def affected(page):
    """Affected for this page (any Page; the specific one is looked up if needed)."""
    page = page.specific if type(page) is Page else page
    listings = [Listing(*found) for found in getattr(page, "affected_listings", list)()]
    own = getattr(page, "affected_paths", None)
    paths = own() if own else [path for path in (default_site_path(page), "/") if path]
    paths.append(reverse("mirrors_json"))  # lists the copies, with their last update
    if isinstance(page, VideoPage):
        paths.append(reverse("tv_roku_feed"))
    paths += syndication.affected_paths(page)
    return Affected(list(dict.fromkeys(paths)), listings)


def purge_paths(page):
    """The URLs a CDN must forget: affected paths, the numbered listing pages the story
    moves, and, for a private page, everything under it (its pages were public until now
    and may still be cached; a public page's private descendants never were).

    A topic's or author's older ?page= pages are left to expire: each shifts by one story.
    """
    page = page.specific if type(page) is Page else page
    change = affected(page)
    paths = list(change.paths)
    for listing in change.listings:
        paths += listing.numbered_paths(page)
    if is_private(page):
        paths += subtree_paths(page)
    return list(dict.fromkeys(paths))


def deleted_page_paths():
    """What a page deleted before its purge ran still lets us name: home and site feeds."""
    return ["/", *syndication.feed_paths("site")]


def subtree_paths(page):
    """Site paths of the live pages under this one (itself excluded)."""
    prefix = default_site_path(page)
    if not prefix:
        return []
    below = Page.objects.descendant_of(page).live().values_list("url_path", flat=True)
    return [prefix + url_path[len(page.url_path) :] for url_path in below]


def is_private(page):
    """True when the page or one of its ancestors has a view restriction (login, password
    or groups): readers of a copy could never pass it."""
    return PageViewRestriction.objects.filter(page__path__in=tree_paths_to(page.path)).exists()


def private_prefixes():
    """Site paths of every restricted page on the default site ('/news/staff/'): those
    paths and everything under them stay out of every copy. Restrictions are few: one
    query for them, and Wagtail's cached site roots for their paths."""
    prefixes = []
    for page in Page.objects.filter(view_restrictions__isnull=False).distinct():
        if path := default_site_path(page):
            prefixes.append(path)
    return tuple(prefixes)


def is_private_path(path, prefixes):
    """path is at or under one of private_prefixes() ('/news/staff' counts too)."""
    return any(path.startswith(prefix) or path == prefix.rstrip("/") for prefix in prefixes)
