"""Which Wagtail Site answers a request, without a query per request.

Wagtail looks the Site up in the database on every request. A newsroom has a handful of
Site rows that change about never, so they are cached as one list (root pages included)
and matched here by the same rules as wagtail.models.sites.get_site_for_hostname.
Saving or deleting a Site, or saving a site's root page, drops the list (signals.py);
the timeout bounds how long a per-process cache (no Redis) may lag behind.
"""

from django.core.cache import cache
from django.http.request import split_domain_port
from wagtail.models import Site

SITES_KEY = "masthead:sites"
SITES_TIMEOUT = 60


def all_sites():
    sites = cache.get(SITES_KEY)
    if sites is None:
        sites = list(Site.objects.select_related("root_page"))
        cache.set(SITES_KEY, sites, SITES_TIMEOUT)
    return sites


def forget_sites():
    cache.delete(SITES_KEY)


def is_site_root(page_id):
    return any(site.root_page_id == page_id for site in all_sites())


def match_site(sites, hostname, port):
    """The site for hostname:port: an exact match, else the hostname's default-site entry,
    else its only entry when a default site exists too, else the default site."""
    named = [site for site in sites if site.hostname == hostname]
    for site in named:
        if site.port == port:
            return site
    for site in named:
        if site.is_default_site:
            return site
    default = next((site for site in sites if site.is_default_site), None)
    if default is None:
        return named[0] if len(named) == 1 else None
    return named[0] if len(named) == 1 else default


def find_site(request):
    hostname = split_domain_port(request._get_raw_host())[0]
    return match_site(all_sites(), hostname, request.get_port())
