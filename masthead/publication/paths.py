"""Public paths, one name per idea: where a page, a topic or a numbered listing page is
read, and the tree arithmetic behind it. Every app asks here (it is the lowest layer), so a
language prefix or a new listing changes one module.

- a *site path* is what readers type after the host: '/news/iraq/story/';
- a *url_path* is Wagtail's internal path from the tree root: '/home/news/iraq/story/';
- a *tree path* is Wagtail's materialised path ('000100010002'), TREE_STEP characters a level.
"""

import math
from urllib.parse import quote

from wagtail.models import Page, Site

# The URL contract: a section's own URL shows its newest STORIES_PER_PAGE stories, and
# /<section>/page/<n>/ counts from the oldest, so a full archive page never changes.
STORIES_PER_PAGE = 20
# Wagtail's materialised path gives each tree level this many characters.
TREE_STEP = Page.steplen
# The depth of the home page in Wagtail's tree (the tree root is depth 1); sections start below.
HOME_DEPTH = 2


def site_root_prefix(request):
    """The url_path of this request's site root, to cut from a url_path (cached on the
    request: every link on a page asks)."""
    prefix = getattr(request, "_masthead_root_prefix", None)
    if prefix is None:
        site = Site.find_for_request(request) if request is not None else None
        if site is None:
            site = Site.objects.select_related("root_page").get(is_default_site=True)
        prefix = site.root_page.url_path
        if request is not None:
            request._masthead_root_prefix = prefix
    return prefix


def page_path(page, request):
    """The site path of a page under this request's site root; Wagtail's own URL otherwise."""
    prefix = site_root_prefix(request)
    url_path = page.url_path
    if url_path.startswith(prefix):
        return url_path[len(prefix) - 1 :]
    # Another site's page (multi-site installs): Wagtail's own URL, absolute if it must be.
    get_url = getattr(page, "get_url", None)
    return (get_url(request) if get_url else None) or "/"


def default_site_path(page):
    """The site path of a page on its site (no request: exports, purges), or None for a
    page outside every site."""
    parts = page.get_url_parts()
    return parts[2] if parts else None


def site_roots():
    """Wagtail's (cached) list of site root paths, most specific first."""
    return Site.get_site_root_paths()


def site_path_of(url_path, roots=None):
    """The site path for a url_path ('/home/news/' -> '/news/'), or None outside every site."""
    for root in roots if roots is not None else site_roots():
        if url_path.startswith(root.root_path):
            return "/" + url_path[len(root.root_path) :]
    return None


def section_key(url_path, roots=None):
    """'news/iraq' for a section at /news/iraq/ (what section feed URLs carry)."""
    path = site_path_of(url_path, roots)
    return path.strip("/") if path else None


def topic_path(slug):
    """A topic's page; the slug is quoted (editors' slugs may be in any script)."""
    return f"/topics/{quote(slug, safe='')}/"


def listing_page_path(section_path, number):
    """Numbered archive page `number` of the section at section_path ('/news/')."""
    return f"{section_path}page/{number}/"


def listing_page_count(stories):
    """How many numbered archive pages this many stories fill (none for none: a section
    without stories has no /page/1/)."""
    return math.ceil(stories / STORIES_PER_PAGE)


def listing_page_holding(position):
    """The numbered archive page holding the story at 0-based position from the oldest."""
    return position // STORIES_PER_PAGE + 1


def tree_paths_to(tree_path):
    """Tree paths from the tree root down to tree_path itself, outermost first."""
    return [tree_path[:n] for n in range(TREE_STEP, len(tree_path) + 1, TREE_STEP)]


def section_tree_paths(tree_path):
    """Tree paths of a page's ancestors below the home page, outermost first."""
    return tree_paths_to(tree_path)[HOME_DEPTH:-1]


def parent_tree_path(tree_path):
    return tree_path[:-TREE_STEP]
