"""Cached outputs with a generation counter, and conditional GET on top of them.

Every feed and sitemap is stored under a key that holds the current generation. Any
publish, unpublish, move or delete (signals.py) and any privacy change
(masthead/changes/receivers.py) bumps the generation, so the next request
builds every output afresh and the old entries simply expire. One counter is coarser than
a key per output, but a move or a section rename changes URLs in outputs no page list can
predict, and regenerating an output costs a bounded handful of indexed queries.

The ETag is a hash of the body, so an output regenerated with the same content (an old
month's sitemap after an unrelated publish) keeps its ETag and readers still get 304s.
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from masthead.publication.addresses import absolute_url

from . import conf

GENERATION_KEY = "syndication:generation"


def generation():
    # Start from the clock, not 1: if the counter is evicted, a restarted count must not
    # land on a generation whose entries are still cached.
    cache.add(GENERATION_KEY, int(time.time() * 1000), None)
    value = cache.get(GENERATION_KEY)
    if value is None:  # evicted between add() and get()
        value = int(time.time() * 1000)
        cache.set(GENERATION_KEY, value, None)
    return value


def invalidate():
    """Make every feed and sitemap be rebuilt on its next request."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, int(time.time() * 1000), None)


@dataclass
class Output:
    body: bytes
    content_type: str
    last_modified: float | None = None  # POSIX timestamp of the newest change it shows

    @property
    def etag(self):
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


# Purge key sent to CDNs that support them (Surrogate-Key / Cache-Tag): one for every
# output, matching the single generation counter.
CDN_PURGE_KEY = "syndication"


def output_key(request):
    # Links in every output name the address it is read at (the host it was requested on,
    # or a static copy's), so the address is part of the key; hashed, so odd paths and
    # long hosts make valid keys for any cache backend.
    url = absolute_url(request, request.path)
    return f"syndication:{generation()}:{hashlib.sha256(url.encode()).hexdigest()}"


def add_cache_headers(request, response):
    """The site's public CDN headers (masthead.publication.cdn); a 304 repeats the 200's."""
    from masthead.publication.cdn import add_public_cache_headers

    if response.status_code == 304:
        full = add_public_cache_headers(request, HttpResponse(), [CDN_PURGE_KEY])
        for header in ("Cache-Control", "Surrogate-Control", "Surrogate-Key", "Cache-Tag"):
            if full.has_header(header):
                response.headers[header] = full.headers[header]
        return response
    return add_public_cache_headers(request, response, [CDN_PURGE_KEY])


def serve(request, build, timeout=None):
    """Answer with the cached output for this URL, building it with build() on a miss.

    build() returns an Output, or raises Http404 (never cached: bad URLs cost one lookup).
    """
    key = output_key(request)
    output = cache.get(key)
    if output is None:
        output = build()
        cache.set(key, output, conf.cache_seconds() if timeout is None else timeout)
    # HTTP dates have whole seconds; compare in whole seconds too.
    last_modified = int(output.last_modified) if output.last_modified else None
    response = get_conditional_response(request, etag=output.etag, last_modified=last_modified)
    if response is None:
        response = HttpResponse(output.body, content_type=output.content_type)
    response.headers["ETag"] = output.etag
    if last_modified:
        response.headers["Last-Modified"] = http_date(last_modified)
    patch_vary_headers(response, ["Host"])
    return add_cache_headers(request, response)
