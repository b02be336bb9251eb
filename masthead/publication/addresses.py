"""The address that feeds, sitemaps, robots.txt and the Roku feed name in their absolute URLs.

On the live site it is the host the request came on (the primary domain, or a live
mirror). A static copy is read at its own address, which only the mirror exporter knows:
it passes it in the WSGI environ under PUBLIC_BASE_KEY, and these functions use it instead.
No HTTP request can set that key (headers arrive as HTTP_* keys), so the live site's
outputs never change.
"""

from urllib.parse import urlsplit

from django.utils.encoding import iri_to_uri

PUBLIC_BASE_KEY = "masthead.public_base"


def public_base(request):
    """Where the site is read, ending with /: 'https://bucket.example/masthead/'."""
    return request.META.get(PUBLIC_BASE_KEY) or request.build_absolute_uri("/")


def absolute_url(request, location):
    """location (a path from the site root, or a full URL kept as it is) as a full URL."""
    base = request.META.get(PUBLIC_BASE_KEY)
    if not base or urlsplit(location).scheme or location.startswith("//"):
        return request.build_absolute_uri(location)
    return iri_to_uri(base + location.lstrip("/"))
