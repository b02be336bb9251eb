"""Relative links to pages without a query each: readers on a mirror host stay there."""

from wagtail.models import Site


def site_root_prefix(request):
    """Length to cut from Page.url_path to get the page's path on this request's site."""
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
    """'/news/iraq/story/' for a page under this site's root; Wagtail's own URL otherwise."""
    prefix = site_root_prefix(request)
    url_path = page.url_path
    if url_path.startswith(prefix):
        return url_path[len(prefix) - 1 :]
    # Another site's page (multi-site installs): Wagtail's own URL, absolute if it must be.
    get_url = getattr(page, "get_url", None)
    return (get_url(request) if get_url else None) or "/"
